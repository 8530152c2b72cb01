import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOsmRoads, parseOsmRoads, type OsmRoads } from './osm-roads.js';
import { buildRoadNetwork, findEdge, loadRoadNetwork, type RoadNetwork } from './road-network.js';

const MOSCOW_OSM = fileURLToPath(
  new URL('../../../shared/data/osm/moscow-ostankino.osm.gz', import.meta.url),
);

/** Nodes reachable from `start` along edges (or against them when `reverse`). */
function reachable(network: RoadNetwork, start: number, reverse: boolean): number {
  const adjacency: number[][] = Array.from({ length: network.nodeCount }, () => []);
  for (let node = 0; node < network.nodeCount; node++) {
    for (let e = network.firstEdge[node] as number; e < (network.firstEdge[node + 1] as number); e++) {
      const target = network.edgeTarget[e] as number;
      if (reverse) adjacency[target]?.push(node);
      else adjacency[node]?.push(target);
    }
  }
  const seen = new Uint8Array(network.nodeCount);
  const stack = [start];
  seen[start] = 1;
  let count = 1;
  while (stack.length > 0) {
    for (const next of adjacency[stack.pop() as number] ?? []) {
      if (seen[next]) continue;
      seen[next] = 1;
      count++;
      stack.push(next);
    }
  }
  return count;
}

function nodeByOsmId(network: RoadNetwork): Map<number, number> {
  return new Map(Array.from(network.osmId, (id, index) => [id, index]));
}

async function parseXml(xml: string): Promise<RoadNetwork> {
  const roads = await parseOsmRoads(Readable.from([xml]));
  return buildRoadNetwork({
    source: 'test',
    lat: roads.lat,
    lon: roads.lon,
    osmId: roads.nodeIds,
    ways: roads.ways.map((way) => ({
      nodes: way.refs.map((ref) => roads.nodeIndex.get(ref) as number),
      roadClass: way.roadClass,
      oneway: way.oneway,
    })),
  });
}

describe('road network from the Moscow (Ostankino) OSM extract', () => {
  let network: RoadNetwork;
  let roads: OsmRoads;

  beforeAll(async () => {
    [network, roads] = await Promise.all([loadRoadNetwork(MOSCOW_OSM), loadOsmRoads(MOSCOW_OSM)]);
  });

  it('keeps over a thousand road nodes inside the extract', () => {
    // The extract holds 1,562 nodes on drivable ways (service included); the largest strongly
    // connected component keeps most of them.
    expect(network.nodeCount).toBeGreaterThan(1_000);
    expect(network.edgeCount).toBeGreaterThan(2_000);
    expect(network.source).toBe('osm:moscow-ostankino.osm.gz');
    expect(network.bbox.minLat).toBeGreaterThan(55.79);
    expect(network.bbox.maxLat).toBeLessThan(55.84);
    expect(network.bbox.minLon).toBeGreaterThan(37.57);
    expect(network.bbox.maxLon).toBeLessThan(37.64);
  });

  it('is one strongly connected component, the largest one', () => {
    expect(reachable(network, 0, false)).toBe(network.nodeCount);
    expect(reachable(network, 0, true)).toBe(network.nodeCount);
    const drivableNodes = new Set(roads.ways.flatMap((way) => way.refs));
    expect(network.nodeCount).toBeLessThanOrEqual(drivableNodes.size);
    // Any other component has at most the nodes left over, so fewer than this one.
    expect(network.nodeCount).toBeGreaterThan(drivableNodes.size - network.nodeCount);
  });

  it('drives one-way streets only the signed way', () => {
    const index = nodeByOsmId(network);
    // Every direction some way allows; a reverse edge is legitimate only when one of these allows it.
    const allowed = new Set<string>();
    for (const way of roads.ways) {
      for (let i = 1; i < way.refs.length; i++) {
        const [a, b] = [way.refs[i - 1] as number, way.refs[i] as number];
        if (way.oneway >= 0) allowed.add(`${a}>${b}`);
        if (way.oneway <= 0) allowed.add(`${b}>${a}`);
      }
    }
    let checked = 0;
    for (const way of roads.ways) {
      if (way.oneway === 0) continue;
      for (let i = 1; i < way.refs.length; i++) {
        const [a, b] = way.oneway === 1 ? [way.refs[i - 1], way.refs[i]] : [way.refs[i], way.refs[i - 1]];
        const from = index.get(a as number);
        const to = index.get(b as number);
        if (from === undefined || to === undefined) continue;
        expect(findEdge(network, from, to)).toBeGreaterThanOrEqual(0);
        if (!allowed.has(`${b}>${a}`)) {
          expect(findEdge(network, to, from)).toBe(-1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    // And no edge exists that no way allows.
    for (let node = 0; node < network.nodeCount; node++) {
      for (let e = network.firstEdge[node] as number; e < (network.firstEdge[node + 1] as number); e++) {
        const target = network.edgeTarget[e] as number;
        expect(allowed.has(`${network.osmId[node]}>${network.osmId[target]}`)).toBe(true);
      }
    }
  });

  it('measures edges as the straight segments between way nodes', () => {
    for (let e = 0; e < network.edgeCount; e++) {
      expect(network.edgeLengthM[e]).toBeGreaterThanOrEqual(0);
      expect(network.edgeLengthM[e]).toBeLessThan(2_000);
    }
  });
});

describe('road network from small OSM documents', () => {
  // Three nodes in a row, 1-2-3, plus an island 4-5.
  const nodes = `
    <node id="1" lat="55.80000" lon="37.60000"/>
    <node id="2" lat="55.80100" lon="37.60000"/>
    <node id="3" lat="55.80200" lon="37.60000"/>
    <node id="4" lat="55.81000" lon="37.61000"/>
    <node id="5" lat="55.81100" lon="37.61000"/>`;
  const osm = (ways: string): string => `<?xml version="1.0"?><osm version="0.6">${nodes}${ways}</osm>`;
  const way = (id: number, refs: number[], tags: Record<string, string>): string =>
    `<way id="${id}">${refs.map((ref) => `<nd ref="${ref}"/>`).join('')}${Object.entries(tags)
      .map(([k, v]) => `<tag k="${k}" v="${v}"/>`)
      .join('')}</way>`;

  it('adds both directions of a two-way street and keeps the largest component', async () => {
    const network = await parseXml(
      osm(
        way(10, [1, 2, 3], { highway: 'residential' }) +
          way(11, [4, 5], { highway: 'residential', name: 'Остров' }),
      ),
    );
    expect(Array.from(network.osmId).sort()).toEqual([1, 2, 3]);
    expect(network.edgeCount).toBe(4);
  });

  it('respects oneway=yes and oneway=-1', async () => {
    // 1->2 one way, 3->2 one way (drawn 2-3 with oneway=-1), and a two-way 1-3 closing the loop.
    const network = await parseXml(
      osm(
        way(10, [1, 2], { highway: 'secondary', oneway: 'yes' }) +
          way(11, [2, 3], { highway: 'secondary', oneway: '-1' }) +
          way(12, [3, 1], { highway: 'service' }),
      ),
    );
    const n = nodeByOsmId(network);
    const edge = (a: number, b: number): number => findEdge(network, n.get(a) as number, n.get(b) as number);
    // 2 is reachable from 1 and 3 but has no way out: it is not in any cycle and drops out.
    expect(n.has(2)).toBe(false);
    expect(edge(1, 3)).toBeGreaterThanOrEqual(0);
    expect(edge(3, 1)).toBeGreaterThanOrEqual(0);
  });

  it('keeps a one-way loop and drives it in one direction only', async () => {
    const network = await parseXml(
      osm(
        way(10, [1, 2, 3], { highway: 'tertiary', oneway: 'yes' }) +
          way(11, [1, 3], { highway: 'tertiary', oneway: '-1' }),
      ),
    );
    const n = nodeByOsmId(network);
    const edge = (a: number, b: number): number => findEdge(network, n.get(a) as number, n.get(b) as number);
    expect(network.nodeCount).toBe(3);
    expect([edge(1, 2), edge(2, 3), edge(3, 1)].every((e) => e >= 0)).toBe(true);
    expect([edge(2, 1), edge(3, 2), edge(1, 3)]).toEqual([-1, -1, -1]);
  });

  it('ignores footways, areas and roads closed to vehicles', async () => {
    await expect(
      parseXml(
        osm(
          way(10, [1, 2], { highway: 'footway' }) +
            way(11, [2, 3, 2], { highway: 'pedestrian', area: 'yes' }) +
            way(12, [2, 3], { highway: 'service', access: 'no' }) +
            way(13, [1, 3], { highway: 'residential', area: 'yes' }),
        ),
      ),
    ).resolves.toMatchObject({ nodeCount: 0, edgeCount: 0 });
  });

  it('reports malformed XML', async () => {
    await expect(parseOsmRoads(Readable.from(['<osm><node id="1"></osm>']))).rejects.toThrow(/malformed/);
  });
});
