import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoTown, generateDemoTown, type DemoTown } from './demo-town.js';
import { readOsmData } from './osm-reader.js';
import type { OsmNode, OsmWay } from './osm-types.js';
import { makeTempDir } from './test-fixtures.js';

let dir = '';
let removeDir: () => Promise<void> = async () => undefined;
let town: DemoTown;
let path = '';
beforeAll(async () => {
  ({ dir, remove: removeDir } = await makeTempDir());
  path = join(dir, 'town.osm');
  town = await generateDemoTown(path, { seed: 7 });
});
afterAll(() => removeDir());

const EARTH_RADIUS_M = 6_371_000;

function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * EARTH_RADIUS_M;
}

function waysWith(key: string, value?: string): OsmWay[] {
  return town.ways.filter((way) => (value === undefined ? key in way.tags : way.tags[key] === value));
}

describe('generateDemoTown', () => {
  it('writes a file that reads back to exactly the returned town', async () => {
    const read = await readOsmData(path);
    expect(read.summary).toEqual({
      format: 'xml',
      nodes: town.nodes.length,
      ways: town.ways.length,
      relations: town.relations.length,
      bbox: town.bbox,
    });
    expect(read.nodes).toEqual(town.nodes);
    expect(read.ways).toEqual(town.ways);
    expect(read.relations).toEqual(town.relations);
  });

  it('is deterministic for a seed, and the seed moves geometry only', async () => {
    const again = join(dir, 'again.osm');
    await generateDemoTown(again, { seed: 7 });
    expect(await readFile(again, 'utf8')).toBe(await readFile(path, 'utf8'));
    const other = buildDemoTown({ seed: 8 });
    expect(other.ways).toEqual(town.ways);
    expect(other.relations).toEqual(town.relations);
    expect(other.nodes.map((node) => [node.id, node.tags])).toEqual(
      town.nodes.map((node) => [node.id, node.tags]),
    );
    expect(other.nodes.map((node) => [node.lon, node.lat])).not.toEqual(
      town.nodes.map((node) => [node.lon, node.lat]),
    );
    expect(buildDemoTown()).toEqual(buildDemoTown({ seed: 1 }));
  });

  it('has positive unique ids and only references what exists', () => {
    const nodeIds = new Set(town.nodes.map((node) => node.id));
    const wayIds = new Set(town.ways.map((way) => way.id));
    expect(nodeIds.size).toBe(town.nodes.length);
    expect(wayIds.size).toBe(town.ways.length);
    expect(new Set(town.relations.map((relation) => relation.id)).size).toBe(town.relations.length);
    for (const id of [...nodeIds, ...wayIds, ...town.relations.map((relation) => relation.id)]) {
      expect(id).toBeGreaterThan(0);
    }
    for (const way of town.ways) {
      expect(way.refs.length).toBeGreaterThanOrEqual(2);
      for (const ref of way.refs) expect(nodeIds.has(ref)).toBe(true);
    }
    for (const relation of town.relations) {
      for (const member of relation.members) {
        expect((member.type === 'node' ? nodeIds : wayIds).has(member.ref)).toBe(true);
      }
    }
  });

  it('is a connected road network of about 2 × 2 km around 37.60 E, 55.80 N', () => {
    const roads = waysWith('highway');
    const parent = new Map<number, number>();
    const find = (x: number): number => {
      while (parent.get(x) !== undefined && parent.get(x) !== x) x = parent.get(x)!;
      return x;
    };
    for (const way of roads) {
      for (const ref of way.refs) if (!parent.has(ref)) parent.set(ref, ref);
      for (let i = 1; i < way.refs.length; i++) parent.set(find(way.refs[i]!), find(way.refs[0]!));
    }
    const components = new Set([...parent.keys()].map(find));
    expect(components.size).toBe(1);

    const [minLon, minLat, maxLon, maxLat] = town.bbox;
    const width = distanceM({ lon: minLon, lat: minLat }, { lon: maxLon, lat: minLat });
    const height = distanceM({ lon: minLon, lat: minLat }, { lon: minLon, lat: maxLat });
    expect(width).toBeGreaterThan(2000);
    expect(width).toBeLessThan(4000);
    expect(height).toBeGreaterThan(2000);
    expect(height).toBeLessThan(3500);
    expect(Math.abs(minLon - 37.6)).toBeLessThan(0.02);
    expect(Math.abs(minLat - 55.8)).toBeLessThan(0.02);
  });

  it('holds every feature a truck router must honour', () => {
    const residential = waysWith('highway', 'residential');
    expect(new Set(residential.map((way) => way.tags['name'])).size).toBeGreaterThanOrEqual(9);
    expect(residential.map((way) => way.tags['name'])).toContain('улица Ленина');
    for (const way of residential) expect(way.tags['name']).toMatch(/[а-яё]/i);
    expect(waysWith('highway', 'primary').length).toBeGreaterThan(0);
    expect(waysWith('highway', 'secondary').length).toBeGreaterThan(0);
    expect(waysWith('oneway', 'yes').length).toBeGreaterThanOrEqual(2);
    expect(waysWith('maxweight', '10')).toHaveLength(1);
    expect(waysWith('hgv', 'no')).toHaveLength(1);
    expect(waysWith('highway', 'service').length).toBeGreaterThan(0);
    expect(waysWith('maxspeed').length).toBeGreaterThanOrEqual(5);

    const [roundabout] = waysWith('junction', 'roundabout');
    expect(roundabout?.refs[0]).toBe(roundabout?.refs.at(-1));

    const lowBridge = waysWith('maxheight', '3.5');
    expect(lowBridge).toHaveLength(1);
    expect(lowBridge[0]!.tags).toMatchObject({ bridge: 'yes', highway: 'residential' });
  });

  it('has no_left_turn and only_straight_on restrictions joined at their via node', () => {
    const ways = new Map(town.ways.map((way) => [way.id, way]));
    const kinds = town.relations.map((relation) => relation.tags['restriction']);
    expect(kinds.sort()).toEqual(['no_left_turn', 'only_straight_on']);
    for (const relation of town.relations) {
      expect(relation.tags['type']).toBe('restriction');
      const role = (name: string) => relation.members.find((member) => member.role === name)!;
      expect(role('from').type).toBe('way');
      expect(role('via').type).toBe('node');
      expect(role('to').type).toBe('way');
      const via = role('via').ref;
      expect(ways.get(role('from').ref)!.refs.at(-1)).toBe(via);
      expect(ways.get(role('to').ref)!.refs[0]).toBe(via);
    }
  });

  it('has a diesel station by an arterial, a depot yard and a landfill on an unclassified road', () => {
    const nodes = new Map<number, OsmNode>(town.nodes.map((node) => [node.id, node]));
    const fuel = town.nodes.filter((node) => node.tags?.['amenity'] === 'fuel');
    expect(fuel).toHaveLength(1);
    expect(fuel[0]!.tags).toMatchObject({ 'fuel:diesel': 'yes' });
    expect(town.landmarks.fuel.nodeId).toBe(fuel[0]!.id);
    const arterialNodes = [...waysWith('highway', 'primary'), ...waysWith('highway', 'secondary')].flatMap(
      (way) => way.refs.map((ref) => nodes.get(ref)!),
    );
    expect(Math.min(...arterialNodes.map((node) => distanceM(node, fuel[0]!)))).toBeLessThan(100);

    const yard = waysWith('highway', 'service').flatMap((way) => way.refs);
    expect(yard).toContain(town.landmarks.depot.nodeId);

    const landfill = waysWith('landuse', 'landfill');
    expect(landfill).toHaveLength(1);
    expect(landfill[0]!.refs[0]).toBe(landfill[0]!.refs.at(-1));
    const access = waysWith('highway', 'unclassified');
    expect(access.some((way) => way.refs.some((ref) => landfill[0]!.refs.includes(ref)))).toBe(true);
    expect(access.flatMap((way) => way.refs)).toContain(town.landmarks.landfill.nodeId);
  });
});
