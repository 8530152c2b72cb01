import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OsrmEngine } from '../../src/engine/osrm-engine.js';
import { RoadRouter } from '../../src/engine/road-router.js';
import { generateDemoTown, type DemoTown } from '../../src/osm/demo-town.js';
import { prepareNetwork } from '../../src/prepare.js';
import type { LonLat } from '../../src/server/osrm-types.js';

export interface DemoTownEngine {
  engine: OsrmEngine;
  town: DemoTown;
  depot: LonLat;
  fuel: LonLat;
  landfill: LonLat;
  /** Points on residential streets of the town, for container sites. */
  streetPoints: LonLat[];
  remove(): Promise<void>;
}

/** Our engine on the generated demo town (a couple of seconds to import and contract). */
export async function buildDemoTownEngine(): Promise<DemoTownEngine> {
  const dir = await mkdtemp(path.join(tmpdir(), 'msw-demo-town-'));
  const file = path.join(dir, 'demo-town.osm');
  const town = await generateDemoTown(file);
  const { network } = await prepareNetwork(file);
  const engine = new OsrmEngine(new RoadRouter(network.graph, network.hierarchy));
  const nodes = new Map(town.nodes.map((n) => [n.id, n]));
  const streetPoints: LonLat[] = [];
  for (const way of town.ways) {
    if (way.tags['highway'] !== 'residential') continue;
    const node = nodes.get(way.refs[Math.floor(way.refs.length / 2)]!);
    if (node) streetPoints.push([node.lon, node.lat]);
  }
  const at = (landmark: { lon: number; lat: number }): LonLat => [landmark.lon, landmark.lat];
  return {
    engine,
    town,
    depot: at(town.landmarks.depot),
    fuel: at(town.landmarks.fuel),
    landfill: at(town.landmarks.landfill),
    streetPoints,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
