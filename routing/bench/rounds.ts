/**
 * A dispatcher's collection day on a real extract, end to end through the routing service's HTTP API:
 * container sites on residential streets, a fleet of rear loaders from one depot, a landfill at the
 * edge of the map, the extract's own diesel stations (OSM amenity=fuel), some trucks starting low on
 * fuel, morning windows on a fifth of the sites. POST /optimize once with a 0.1 s budget (travel
 * matrix + construction) and once with the full budget; every plan re-checked by the independent
 * checker. Seeded; one JSON line last.
 *
 *   npm run bench:rounds -- [--osm FILE] [--sites 400] [--vehicles 10] [--seconds 30] [--seed 1]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createRandom } from '../src/ch/synthetic-graph.js';
import { loadRoutingOptions } from '../src/config.js';
import { readOsm } from '../src/osm/osm-reader.js';
import { findFuelStations } from '../src/poi/fuel-stations.js';
import { startRoutingService } from '../src/service.js';

const { values } = parseArgs({
  options: {
    osm: { type: 'string', default: '../shared/data/osm/moscow-ostankino.osm.gz' },
    sites: { type: 'string', default: '400' },
    vehicles: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
  },
});
const osmFile = path.resolve(values.osm!);
const siteCount = Number(values.sites);
const vehicleCount = Number(values.vehicles);
const seconds = Number(values.seconds);
const seed = Number(values.seed);
const log = (line: string): boolean => process.stderr.write(`${line}\n`);

type LonLat = [number, number];

const STREETS = new Set(['residential', 'living_street', 'service', 'unclassified', 'tertiary']);
const MAIN_ROADS = new Set(['primary', 'secondary', 'trunk']);

/** Nodes of street ways (sites) and of main roads (the landfill's access), from one read. */
async function roadPoints(file: string): Promise<{ streets: LonLat[]; mainRoads: LonLat[] }> {
  const coords = new Map<number, LonLat>();
  const streets: LonLat[] = [];
  const mainRoads: LonLat[] = [];
  await readOsm(file, {
    node: (node) => coords.set(node.id, [node.lon, node.lat]),
    way: (way) => {
      const highway = way.tags['highway'] ?? '';
      if (STREETS.has(highway) && way.tags['access'] !== 'private') {
        // Every third node: container sites stand along yards and streets, not only mid-way.
        for (let k = 1; k < way.refs.length; k += 3) {
          const point = coords.get(way.refs[k]!);
          if (point) streets.push(point);
        }
      } else if (MAIN_ROADS.has(highway)) {
        for (const ref of way.refs) {
          const point = coords.get(ref);
          if (point) mainRoads.push(point);
        }
      }
    },
  });
  return { streets, mainRoads };
}

const random = createRandom(seed);
const distance2 = (a: LonLat, b: LonLat): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

log(
  `bench:rounds osm=${osmFile} sites=${siteCount} vehicles=${vehicleCount} seconds=${seconds} seed=${seed}`,
);
const { streets, mainRoads } = await roadPoints(osmFile);
const centre: LonLat = [
  streets.reduce((sum, p) => sum + p[0], 0) / streets.length,
  streets.reduce((sum, p) => sum + p[1], 0) / streets.length,
];
// Depot near the centre, landfill far out on a main road: the closest / farthest candidates that the
// engine can route to and back from (a clipped road at the extract's edge is a dead end).
const byCentre = (points: LonLat[]): LonLat[] =>
  [...points].sort((a, b) => distance2(a, centre) - distance2(b, centre));
let depot: LonLat = centre;
let landfill: LonLat = centre;
// Diesel unknown counts: most OSM stations in Russia do not tag fuel types.
const stations = (await findFuelStations(osmFile)).slice(0, 4);

const day = '2026-12-01';
const at = (hhmm: string): string => `${day}T${hhmm}:00+03:00`;
interface SiteInput {
  id: string;
  location: LonLat;
  containers: { count: number; volume_m3: number; fill: number }[];
  waste_type: string;
  windows?: { from: string; to: string }[];
}
// Distinct street points in a seeded random order; the first `siteCount` connected ones become sites.
const candidates = [...new Map(streets.map((p) => [p.join(','), p])).values()];
for (let i = candidates.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
}
const sites: SiteInput[] = [];
/** Sites on street points the depot can reach and be reached from (a real site is served daily). */
async function chooseSites(): Promise<number> {
  let dropped = 0;
  for (const location of candidates) {
    if (sites.length === siteCount) break;
    if (!(await connected(depot, location))) {
      dropped++;
      continue;
    }
    sites.push({
      id: `site-${sites.length + 1}`,
      location,
      containers: [
        { count: 1 + Math.floor(random() * 4), volume_m3: random() < 0.7 ? 1.1 : 0.75, fill: 0.8 },
      ],
      waste_type: 'msw',
      ...(random() < 0.2 ? { windows: [{ from: at('07:00'), to: at('11:00') }] } : {}),
    });
  }
  if (sites.length < siteCount) log(`the extract has only ${sites.length} connected street points`);
  return dropped;
}
const fleet = (): unknown[] =>
  Array.from({ length: vehicleCount }, (_, k) => ({
    id: `truck-${k + 1}`,
    carrier_id: 'carrier-1',
    start: depot,
    shift: { from: at('06:00'), to: at('18:00') },
    breaks: [{ duration_s: 1800, earliest: at('11:00'), latest: at('13:00') }],
    body: { volume_m3: 18, compaction_ratio: 4 },
    // Every third truck starts low: its round must include a refuel.
    fuel: {
      tank_l: 200,
      level_l: k % 3 === 0 ? 25 : 150,
      reserve_l: 15,
      consumption_l_per_100km: { empty: 35, loaded: 55 },
      idle_l_per_hour: 3,
    },
    costs: { fixed: 3000, per_km: 40, per_hour: 700, fuel_per_l: 65 },
    max_shift_hours: 11,
  }));
const request = (timeLimitS: number): unknown => ({
  vehicles: fleet(),
  sites,
  facilities: [{ id: 'landfill', kind: 'landfill', location: landfill, service_s: 900, accepts: ['msw'] }],
  fuel_stations: stations.map((s) => ({ id: s.osmId, source: 'osm', location: [s.lon, s.lat] })),
  defaults: { service_s_per_container: 45 },
  objective: 'cost',
  options: { time_limit_s: timeLimitS, seed, geometry: false, traffic: true },
});

const dataDir = await mkdtemp(path.join(tmpdir(), 'msw-bench-rounds-'));
const service = await startRoutingService(
  loadRoutingOptions({
    ROUTING_PORT: '0',
    DATA_DIR: dataDir,
    ROUTING_OSM: osmFile,
    ROUTING_OPTIMIZER_MAX_TIME_S: String(Math.max(1, seconds)),
    ROUTING_MAX_TABLE_SIZE: '1000',
  }),
  pino({ level: 'silent' }),
);

interface Answer {
  summary: { cost: number; distance_m: number; vehicles_used: number; sites_unassigned: number };
  routes: { stops: { type: string }[] }[];
  unassigned: { reason: string }[];
  check: { feasible: boolean; violations: string[] };
}

async function optimize(timeLimitS: number): Promise<{ answer: Answer; seconds: number }> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${service.address.port}/optimize`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request(timeLimitS)),
  });
  const answer = (await response.json()) as Answer;
  if (response.status !== 200)
    throw new Error(`/optimize answered ${response.status}: ${JSON.stringify(answer)}`);
  return { answer, seconds: (performance.now() - started) / 1000 };
}

async function connected(a: LonLat, b: LonLat): Promise<boolean> {
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const url = `http://127.0.0.1:${service.address.port}/route/v1/driving/${from.join(',')};${to.join(',')}?overview=false`;
    const answer = (await (await fetch(url)).json()) as { code: string };
    if (answer.code !== 'Ok') return false;
  }
  return true;
}

async function firstConnected(candidates: LonLat[], to: LonLat): Promise<LonLat> {
  for (const point of candidates.slice(0, 500)) if (await connected(point, to)) return point;
  throw new Error('no candidate point is connected both ways');
}

try {
  const streetsOut = byCentre(streets);
  depot = streetsOut[0]!;
  landfill = await firstConnected(byCentre(mainRoads).reverse(), depot);
  depot = await firstConnected(streetsOut, landfill);
  const dropped = await chooseSites();
  const quick = await optimize(0.1);
  const full = await optimize(seconds);
  const stops = full.answer.routes.flatMap((r) => r.stops);
  const count = (type: string): number => stops.filter((s) => s.type === type).length;
  for (const route of full.answer.routes) {
    log(route.stops.map((s) => s.type[0]).join(''));
  }
  const result = {
    name: 'rounds',
    dataset: path.basename(osmFile),
    sites: sites.length,
    // Street points left out: no truck road to or from them (one-way pockets, private or clipped roads).
    unconnected_points_skipped: dropped,
    vehicles: vehicleCount,
    fuel_stations: stations.length,
    seconds_per_solve: seconds,
    // The 0.1 s run is the travel matrix (every traffic slot) plus construction.
    matrix_and_construction_s: round(quick.seconds),
    total_s: round(full.seconds),
    feasible: full.answer.check.feasible && quick.answer.check.feasible,
    vehicles_used: full.answer.summary.vehicles_used,
    unloads: count('unload'),
    refuels: count('refuel'),
    unassigned: full.answer.summary.sites_unassigned,
    unassigned_reasons: Object.fromEntries(
      [...new Set(full.answer.unassigned.map((u) => u.reason))].map((reason) => [
        reason,
        full.answer.unassigned.filter((u) => u.reason === reason).length,
      ]),
    ),
    distance_km: round(full.answer.summary.distance_m / 1000),
    construction_distance_km: round(quick.answer.summary.distance_m / 1000),
    cost: round(full.answer.summary.cost),
    improvement_over_construction_pct: round(
      (100 * (quick.answer.summary.cost - full.answer.summary.cost)) / quick.answer.summary.cost,
    ),
  };
  if (!result.feasible) log(`violations: ${full.answer.check.violations.join('; ')}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await service.close();
  await rm(dataDir, { recursive: true, force: true });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
