import { describe, expect, it } from 'vitest';
import { findBks, loadBks, parseBks, splitCsvLine } from './bks.js';
import { listInstances, loadInstance } from './instance.js';

describe('splitCsvLine', () => {
  it('keeps quoted commas and unescapes doubled quotes', () => {
    expect(splitCsvLine('a,"b, c",,"say ""hi"""')).toEqual(['a', 'b, c', '', 'say "hi"']);
  });
});

describe('bks.csv', async () => {
  const table = await loadBks();

  it('has one row per instance and convention', () => {
    const per = (collection: string): number =>
      table.filter((entry) => entry.collection === collection).length;
    expect(table.length).toBe(279);
    expect(per('cvrp/augerat-A')).toBe(27);
    expect(per('cvrp/uchoa-X')).toBe(22);
    expect(per('vrptw/solomon')).toBe(112);
    expect(per('evrptw/schneider2014-large')).toBe(56);
    expect(per('evrptw/schneider2014-small')).toBe(36);
    expect(per('gvrp/emh2012')).toBe(10);
    expect(per('wcvrptw/kim2006')).toBe(10);
    expect(per('mtvrptwr')).toBe(6);
  });

  it('finds the value under the instance’s own convention', async () => {
    const [r101] = (await listInstances('vrptw')).filter((file) => file.endsWith('R101.txt'));
    const trunc = await loadInstance(r101!);
    const hier = await loadInstance(r101!, { solomonVariant: 'hierarchical' });
    expect(findBks(table, trunc)).toMatchObject({ value: 1637.7, vehicles: 20, convention: 'distance' });
    expect(findBks(table, hier)).toMatchObject({ value: 1650.8, vehicles: 19, convention: 'hierarchical' });
  });

  it('keeps missing values missing', () => {
    const c204 = { collection: 'vrptw/solomon', name: 'C204', objective: 'distance' as const };
    expect(findBks(table, c204)).toMatchObject({ value: null, vehicles: null });
    const rc108 = {
      collection: 'evrptw/schneider2014-small',
      name: 'rc108C5',
      objective: 'vehicles-then-distance' as const,
    };
    expect(findBks(table, rc108)).toMatchObject({ value: 253.93, vehicles: null });
  });

  it('converts MTVRPTWR tenths to the instance unit', () => {
    const entry = findBks(table, { collection: 'mtvrptwr', name: 'C201R0.25', objective: 'distance' });
    expect(entry).toMatchObject({ rawValue: 15006, value: 1500.6, vehicles: null });
  });

  it('has a BKS row for every instance file, under its convention', async () => {
    for (const file of await listInstances('all')) {
      const instance = await loadInstance(file);
      expect(findBks(table, instance), instance.name).toBeDefined();
    }
  });

  it('rejects a file with another header', () => {
    expect(() => parseBks('a,b\n1,2\n')).toThrow(expect.objectContaining({ code: 'BenchParse' }));
  });
});
