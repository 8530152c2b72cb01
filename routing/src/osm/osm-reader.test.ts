import { describe, expect, it } from 'vitest';
import { readOsm, type OsmBbox, type OsmNode, type OsmRelation, type OsmWay } from './osm-reader.js';

// Counts from /work/shared/data/osm/README.md (osmium fileinfo -e); core bbox = p1–p99 of the
// nodes on drivable ways.
const DATA_DIR = '/work/shared/data/osm';
const EXTRACTS = [
  {
    file: 'monaco.osm.pbf',
    format: 'pbf',
    nodes: 180_118,
    ways: 27_377,
    relations: 212,
    drivable: 1369,
    core: [7.3507, 43.7204, 7.4862, 43.7692],
  },
  {
    file: 'heidelberg.osm.pbf',
    format: 'pbf',
    nodes: 221_009,
    ways: 31_619,
    relations: 1700,
    drivable: 7293,
    core: [7.7944, 49.345, 8.9557, 49.5033],
  },
  {
    file: 'liechtenstein.osm.pbf',
    format: 'pbf',
    nodes: 142_832,
    ways: 15_247,
    relations: 358,
    drivable: 1680,
    core: [9.4918, 47.0606, 9.608, 47.2437],
  },
  {
    file: 'andorra.osm.pbf',
    format: 'pbf',
    nodes: 69_644,
    ways: 2725,
    relations: 74,
    drivable: 1050,
    core: [1.4447, 42.4407, 1.7252, 42.6314],
  },
  {
    file: 'moscow-ostankino.osm.gz',
    format: 'xml',
    nodes: 8402,
    ways: 1652,
    relations: 272,
    drivable: 174,
    core: [37.5814, 55.8013, 37.6324, 55.827],
  },
] as const;

const DRIVABLE = new Set([
  'motorway',
  'trunk',
  'primary',
  'secondary',
  'tertiary',
  'unclassified',
  'residential',
  'living_street',
  'motorway_link',
  'trunk_link',
  'primary_link',
  'secondary_link',
  'tertiary_link',
]);

function isInside(bbox: readonly number[], lon: number, lat: number): boolean {
  return lon >= bbox[0]! && lat >= bbox[1]! && lon <= bbox[2]! && lat <= bbox[3]!;
}

describe('readOsm on the reference extracts', () => {
  for (const extract of EXTRACTS) {
    it(`${extract.file}: exact counts, drivable ways and coordinates`, async () => {
      const path = `${DATA_DIR}/${extract.file}`;
      const index = new Map<number, number>();
      const lons: number[] = [];
      const lats: number[] = [];
      const drivableRefs: number[] = [];
      let ways = 0;
      let relations = 0;
      let drivable = 0;
      // Kinds in file order: all nodes, then all ways, then all relations.
      let lastKind = 0;
      let outOfOrder = 0;
      const see = (kind: number): void => {
        if (kind < lastKind) outOfOrder += 1;
        lastKind = kind;
      };
      const summary = await readOsm(path, {
        node(node) {
          see(0);
          index.set(node.id, lons.length);
          lons.push(node.lon);
          lats.push(node.lat);
        },
        way(way) {
          see(1);
          ways += 1;
          const highway = way.tags['highway'];
          if (highway !== undefined && DRIVABLE.has(highway)) {
            drivable += 1;
            drivableRefs.push(...way.refs);
          }
        },
        relation() {
          see(2);
          relations += 1;
        },
      });
      expect(summary).toMatchObject({
        format: extract.format,
        nodes: extract.nodes,
        ways: extract.ways,
        relations: extract.relations,
      });
      expect([index.size, ways, relations]).toEqual([extract.nodes, extract.ways, extract.relations]);
      expect(drivable).toBe(extract.drivable);
      expect(outOfOrder).toBe(0);

      // p1–p99 on each axis: at least 96 % of the drivable nodes lie in the core bbox.
      let inside = 0;
      let found = 0;
      for (const ref of drivableRefs) {
        const i = index.get(ref);
        if (i === undefined) continue;
        found += 1;
        if (isInside(extract.core, lons[i]!, lats[i]!)) inside += 1;
      }
      expect(found / drivableRefs.length).toBeGreaterThan(0.95);
      expect(inside / found).toBeGreaterThan(0.95);
      for (let i = 0; i < lons.length; i++) {
        if (!(Math.abs(lons[i]!) <= 180 && Math.abs(lats[i]!) <= 90))
          throw new Error(`bad coordinate at ${i}`);
      }
    });

    it(`${extract.file}: counts without any handler match`, async () => {
      const summary = await readOsm(`${DATA_DIR}/${extract.file}`, {});
      expect([summary.nodes, summary.ways, summary.relations]).toEqual([
        extract.nodes,
        extract.ways,
        extract.relations,
      ]);
    });
  }

  it('monaco.osm.pbf: known entities', async () => {
    const ways = new Map<number, OsmWay>();
    const nodes = new Map<number, OsmNode>();
    const relations = new Map<number, OsmRelation>();
    const summary = await readOsm(`${DATA_DIR}/monaco.osm.pbf`, {
      node(node) {
        if (node.id === 21911863 || node.id === 21911886) nodes.set(node.id, node);
      },
      way(way) {
        if (way.id === 4097656) ways.set(way.id, way);
      },
      relation(relation) {
        if (relation.id === 3410831) relations.set(relation.id, relation);
      },
    });
    expect(summary.bbox).toEqual([7.349, 43.71, 7.491, 43.77]);
    expect(nodes.get(21911863)).toEqual({ id: 21911863, lat: 43.7370125, lon: 7.422028 });
    expect(nodes.get(21911863)).not.toHaveProperty('tags');
    expect(nodes.get(21911886)?.tags).toEqual({ highway: 'crossing', crossing_ref: 'zebra' });
    const way = ways.get(4097656)!;
    expect(way.tags).toMatchObject({ highway: 'primary', name: 'Avenue Princesse Alice' });
    expect(way.refs).toHaveLength(9);
    expect(way.refs[0]).toBe(21912089);
    expect(relations.get(3410831)).toEqual({
      id: 3410831,
      members: [
        { type: 'way', ref: 92627431, role: 'from' },
        { type: 'way', ref: 254596488, role: 'to' },
        { type: 'node', ref: 273244852, role: 'via' },
      ],
      tags: { type: 'restriction', restriction: 'only_straight_on' },
    });
  });

  it('moscow-ostankino.osm.gz: Cyrillic names, bounds and a restriction', async () => {
    const names = new Set<string>();
    let sheremetyevskaya: OsmWay | undefined;
    let restriction: OsmRelation | undefined;
    const summary = await readOsm(`${DATA_DIR}/moscow-ostankino.osm.gz`, {
      way(way) {
        const name = way.tags['name'];
        if (name !== undefined && way.tags['highway'] !== undefined) names.add(name);
        if (way.id === 14418627) sheremetyevskaya = way;
      },
      relation(relation) {
        if (relation.id === 72328) restriction = relation;
      },
    });
    expect(summary.bbox).toEqual([37.582641, 55.805261, 37.626929, 55.824455] satisfies OsmBbox);
    expect(names).toContain('улица Академика Королёва');
    expect(names).toContain('улица Руставели');
    expect(sheremetyevskaya?.tags).toMatchObject({ highway: 'secondary', name: 'Шереметьевская улица' });
    expect(sheremetyevskaya?.refs).toHaveLength(5);
    expect(restriction?.members).toEqual([
      { type: 'node', ref: 250166769, role: 'via' },
      { type: 'way', ref: 30681459, role: 'from' },
      { type: 'way', ref: 245078116, role: 'to' },
    ]);
  });

  it('heidelberg.osm.pbf parses with every handler in well under 2 s', async () => {
    let nodes = 0;
    const start = performance.now();
    await readOsm(`${DATA_DIR}/heidelberg.osm.pbf`, {
      node: () => void (nodes += 1),
      way: () => undefined,
      relation: () => undefined,
    });
    const elapsed = performance.now() - start;
    expect(nodes).toBe(221_009);
    expect(elapsed).toBeLessThan(2000);
  });
});
