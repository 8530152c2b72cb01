import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeDistance, haversineMiles } from './distance.js';
import {
  ANCHOR_INSTANCES,
  defaultDataRoot,
  detectFormat,
  listInstances,
  loadInstance,
  parseInstance,
  type BenchInstance,
  type NodeKind,
} from './instance.js';
import { hhmmToSeconds } from './parse-kim.js';

const count = (instance: BenchInstance, kind: NodeKind): number =>
  instance.nodes.filter((node) => node.kind === kind).length;

const baseName = (file: string): string => path.basename(file).replace(/\.(vrp|txt)$/, '');

describe('listInstances', () => {
  it('lists every set with the README counts', async () => {
    expect((await listInstances('cvrp')).length).toBe(27 + 22);
    expect((await listInstances('vrptw')).length).toBe(56);
    expect((await listInstances('wcvrptw')).length).toBe(10);
    expect((await listInstances('evrptw')).length).toBe(56 + 36);
    expect((await listInstances('mtvrptwr')).length).toBe(6);
    expect((await listInstances('gvrp')).length).toBe(10);
    expect((await listInstances('all')).length).toBe(49 + 56 + 10 + 92 + 6 + 10);
  });

  it('lists the anchor set in issue order', async () => {
    expect((await listInstances('anchor')).map(baseName)).toEqual(ANCHOR_INSTANCES);
  });

  it('sorts names naturally', async () => {
    const names = (await listInstances('cvrp')).map(baseName);
    expect(names.slice(0, 3)).toEqual(['A-n32-k5', 'A-n33-k5', 'A-n33-k6']);
    expect(names.indexOf('A-n63-k9')).toBeLessThan(names.indexOf('A-n63-k10'));
  });
});

describe('CVRP (Augerat A, Uchoa X)', async () => {
  const files = await listInstances('cvrp');
  it.each(files.map((file) => [baseName(file), file]))('%s parses', async (name, file) => {
    const instance = await loadInstance(file);
    const [, n, k] = /-n(\d+)-k(\d+)$/.exec(name)!;
    expect(instance.family).toBe('cvrp');
    expect(instance.name).toBe(name);
    expect(instance.collection).toBe(name.startsWith('A-') ? 'cvrp/augerat-A' : 'cvrp/uchoa-X');
    expect(instance.nodes.length).toBe(Number(n));
    expect(count(instance, 'customer')).toBe(Number(n) - 1);
    expect(instance.nodes[0]).toMatchObject({ kind: 'depot', id: '1', demand: 0 });
    expect(instance.parameters.k).toBe(Number(k));
    expect(instance.convention).toBe('nint');
    expect(instance.vehicles).toBe(Number.POSITIVE_INFINITY);
    for (const node of instance.nodes) expect(node.demand).toBeLessThanOrEqual(instance.capacity);
  });

  it('rounds distances with TSPLIB nint', async () => {
    const instance = await loadInstance(files[0]!); // A-n32-k5: depot (82,76), node 2 (96,44)
    expect(instance.nodes[1]).toMatchObject({ x: 96, y: 44 });
    expect(instance.distance(0, 1)).toBe(35); // hypot(14, 32) = 34.93
    expect(instance.travelTime(0, 1)).toBe(35);
  });
});

describe('Solomon VRPTW', async () => {
  const files = await listInstances('vrptw');
  const capacityOf = (name: string): number =>
    /^(C1|R1|RC1)/.test(name) ? 200 : name.startsWith('C2') ? 700 : 1000;
  it.each(files.map((file) => [baseName(file), file]))(
    '%s parses in both conventions',
    async (name, file) => {
      const trunc = await loadInstance(file);
      const hier = await loadInstance(file, { solomonVariant: 'hierarchical' });
      for (const instance of [trunc, hier]) {
        expect(instance.name).toBe(name);
        expect(instance.nodes.length).toBe(101);
        expect(count(instance, 'customer')).toBe(100);
        expect(instance.vehicles).toBe(25);
        expect(instance.capacity).toBe(capacityOf(name));
        expect(instance.nodes[0]!.due).toBeGreaterThan(0);
        instance.nodes.forEach((node, index) => expect(node.id).toBe(String(index)));
      }
      expect(trunc).toMatchObject({ variant: 'trunc1', convention: 'trunc1', objective: 'distance' });
      expect(hier).toMatchObject({
        variant: 'hierarchical',
        convention: 'exact',
        objective: 'vehicles-then-distance',
      });
    },
  );

  it('truncates to one decimal in the DIMACS convention, time included', async () => {
    const trunc = await loadInstance(files[0]!); // C101: depot (40,50), 1 (45,68)
    const hier = await loadInstance(files[0]!, { solomonVariant: 'hierarchical' });
    expect(hier.distance(0, 1)).toBeCloseTo(Math.hypot(5, 18), 12); // 18.681…
    expect(trunc.distance(0, 1)).toBe(18.6);
    expect(trunc.travelTime(0, 1)).toBe(18.6);
  });
});

describe('Schneider E-VRPTW', async () => {
  const files = await listInstances('evrptw');
  it.each(files.map((file) => [baseName(file), file]))('%s parses', async (name, file) => {
    const instance = await loadInstance(file);
    const large = /_21$/.test(name);
    expect(instance.family).toBe('evrptw');
    expect(instance.collection).toBe(large ? 'evrptw/schneider2014-large' : 'evrptw/schneider2014-small');
    expect(count(instance, 'customer')).toBe(large ? 100 : Number(/C(\d+)$/.exec(name)![1]));
    if (large) expect(count(instance, 'station')).toBe(21);
    else expect(count(instance, 'station')).toBeGreaterThanOrEqual(2);
    const depot = instance.nodes[0]!;
    const s0 = instance.nodes.find((node) => node.id === 'S0')!;
    expect(s0).toMatchObject({ kind: 'station', x: depot.x, y: depot.y });
    expect(instance.energy!.capacity).toBeGreaterThan(0);
    expect(instance.energy!.consumptionRate).toBe(instance.parameters.r);
    expect(instance.energy!.rechargeTimePerUnit).toBe(instance.parameters.g);
    expect(instance.capacity).toBe(instance.parameters.C);
    expect(instance.objective).toBe('vehicles-then-distance');
  });

  it('reads the five parameters of c101_21', async () => {
    const instance = await loadInstance(files.find((file) => baseName(file) === 'c101_21')!);
    expect(instance.parameters).toEqual({ Q: 79.69, C: 200, r: 1, g: 3.39, v: 1 });
    expect(instance.nodes.length).toBe(1 + 21 + 100);
  });
});

describe('Erdogan & Miller-Hooks G-VRP', async () => {
  const files = await listInstances('gvrp');
  // README §3b: customers in the file, customers served (after EMH pre-processing), `f` rows.
  const expected: Record<string, [number, number, number]> = {
    '20c3sU1': [20, 20, 4],
    '20c3sU2': [20, 20, 4],
    '20c3sU3': [20, 20, 4],
    S1_2i6s: [20, 20, 7],
    S1_4i2s: [20, 20, 3],
    S1_4i4s: [20, 20, 5],
    S1_4i6s: [20, 20, 7],
    Large_VA_Input_111c_21s: [111, 109, 21],
    Large_VA_Input_200c_21s: [200, 192, 22],
    Large_VA_Input_250c_21s: [250, 237, 21],
  };
  it.each(files.map((file) => [baseName(file), file]))(
    '%s parses and keeps the served customers',
    async (name, file) => {
      const instance = await loadInstance(file);
      const [customers, served, stations] = expected[name]!;
      expect(count(instance, 'customer')).toBe(customers);
      expect(customers - instance.unservable.length).toBe(served);
      expect(count(instance, 'station')).toBe(stations);
      expect(instance.maxRouteDuration).toBe(11);
      expect(instance.energy).toEqual({ capacity: 60, consumptionRate: 0.2, rechargeTimePerUnit: 0 });
    },
  );

  it('uses haversine miles with R = 4182.44949 and 40 mph', () => {
    expect(haversineMiles(0, 0, 1, 0)).toBeCloseTo((4182.44949 * Math.PI) / 180, 9);
    const a = {
      id: 'a',
      kind: 'customer' as const,
      x: -77.5,
      y: 37.6,
      demand: 0,
      ready: 0,
      due: 1,
      service: 0,
    };
    const b = { ...a, x: -76.3, y: 36.8 };
    expect(edgeDistance('haversine-miles', a, b)).toBeCloseTo(edgeDistance('haversine-miles', b, a), 9);
  });
});

describe('Kim waste collection', async () => {
  const files = await listInstances('wcvrptw');
  // README §4: customers and disposal facilities.
  const expected: Record<string, [number, number]> = {
    '102_stop': [99, 2],
    '277_stop': [275, 1],
    '335_stop': [330, 4],
    '444_stop': [442, 1],
    '804_stop': [784, 19],
    '1051_stop': [1048, 2],
    '1351_stop': [1347, 3],
    '1599_stop': [1596, 2],
    '1932_stop': [1927, 4],
    '2100_stop': [2092, 7],
  };
  it.each(files.map((file) => [baseName(file), file]))('%s parses', async (name, file) => {
    const instance = await loadInstance(file);
    const [customers, disposal] = expected[name]!;
    expect(count(instance, 'customer')).toBe(customers);
    expect(count(instance, 'disposal')).toBe(disposal);
    expect(instance.nodes.length).toBe(Number(/^(\d+)_/.exec(name)![1]));
    expect(instance.nodes[0]!.kind).toBe('depot');
    expect(instance.mustEndEmpty).toBe(true);
    expect(instance.lunchBreak).toEqual({ duration: 3600, earliestStart: 39600, latestStart: 43200 });
    for (const node of instance.nodes) if (node.kind !== 'customer') expect(node.demand).toBe(0);
  });

  it('reproduces the benchmark page example: stop 0 → 1 is 2.914 mi, 262.3 s', async () => {
    const instance = await loadInstance(files.find((file) => baseName(file) === '102_stop')!);
    expect(instance.parameters).toEqual({
      vehicleCapacity: 280,
      routeCapacity: 400,
      maxStops: 500,
      lunchDuration: 3600,
      speedMph: 40,
    });
    expect(instance.distance(0, 1)).toBeCloseTo(15387 / 5280, 12);
    expect(instance.travelTime(0, 1)).toBeCloseTo(262.3, 1);
    expect(instance.nodes[0]).toMatchObject({ ready: 4 * 3600, due: 15 * 3600 });
  });

  it('reads HHMM clock times, carrying malformed minutes', () => {
    expect(hhmmToSeconds(1445)).toBe(14 * 3600 + 45 * 60);
    expect(hhmmToSeconds(400)).toBe(4 * 3600);
    expect(hhmmToSeconds(2400)).toBe(24 * 3600);
    expect(hhmmToSeconds(1675)).toBe(17 * 3600 + 15 * 60);
  });
});

describe('MTVRPTWR', async () => {
  const files = await listInstances('mtvrptwr');
  it.each(files.map((file) => [baseName(file), file]))('%s parses', async (name, file) => {
    const instance = await loadInstance(file);
    expect(instance.name).toBe(name);
    expect(count(instance, 'customer')).toBe(100);
    expect(instance.vehicles).toBe(8);
    expect(instance.capacity).toBe(100);
    expect(instance.reloadAtDepot).toBe(true);
    expect(instance.convention).toBe('trunc1');
    expect(instance.releaseTimes!.length).toBe(101);
    expect(instance.nodes[0]!.service).toBe(0);
    expect(instance.nodes[1]!.service).toBe(instance.parameters.SERVICE_TIME);
    expect(Math.max(...instance.releaseTimes!)).toBeGreaterThan(0);
  });
});

describe('format handling', () => {
  it('detects every shipped file by content', async () => {
    const expected: Record<string, string> = {
      cvrp: 'cvrplib',
      vrptw: 'solomon',
      evrptw: 'evrptw',
      gvrp: 'gvrp',
      wcvrptw: 'kim',
      mtvrptwr: 'mtvrptwr',
    };
    for (const [set, format] of Object.entries(expected)) {
      for (const file of await listInstances(set as 'cvrp')) {
        expect(detectFormat(await readFile(file, 'latin1'))).toBe(format);
      }
    }
  });

  it('rejects unknown text with a BenchParse error', () => {
    expect(() => parseInstance('hello\nworld\n', 'x.txt')).toThrow(
      expect.objectContaining({ code: 'BenchParse' }),
    );
  });

  it('names the file and line of a bad number', () => {
    const text =
      'C1\n\nVEHICLE\nNUMBER CAPACITY\n 25 200\n\nCUSTOMER\nCUST NO.\n 0 0 0 0 0 100 0\n 1 1 x 1 0 100 1\n';
    expect(() => parseInstance(text, 'bad.txt')).toThrow('bad.txt:10: column 3 is not a number ("x")');
  });

  // Whitespace runs become tabs or spaces, line ends CRLF or LF: the parsed instance must not change.
  it('ignores the kind of whitespace and line endings', async () => {
    const samples = ['cvrp/uchoa-X/X-n101-k25.vrp', 'vrptw/solomon/R101.txt', 'wcvrptw/kim2006/335_stop.txt'];
    const root = defaultDataRoot();
    for (const sample of samples) {
      const text = await readFile(path.join(root, sample), 'latin1');
      const reference = JSON.stringify(parseInstance(text, sample));
      fc.assert(
        fc.property(fc.boolean(), fc.constantFrom(' ', '\t', '  ', ' \t '), (crlf, blank) => {
          const rewritten = text
            .split(/\r?\n/)
            .map((line) => line.replace(/[ \t]+/g, blank))
            .join(crlf ? '\r\n' : '\n');
          return JSON.stringify(parseInstance(rewritten, sample)) === reference;
        }),
        { numRuns: 8 },
      );
    }
  });
});
