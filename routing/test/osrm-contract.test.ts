import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsrmHttpBackend } from '../src/engine/osrm-backend.js';
import { OsrmEngine } from '../src/engine/osrm-engine.js';
import { RoadRouter } from '../src/engine/road-router.js';
import { prepareNetwork } from '../src/prepare.js';
import type { RoutingEngine } from '../src/server/osrm-types.js';
import { decodePolyline } from '../src/server/polyline.js';
import { createRoutingServer } from '../src/server/routing-server.js';

// The same contract runs against whichever backend is configured: our engine (always in CI), or
// a real osrm-routed with ROUTING_BACKEND=osrm OSRM_URL=http://… on the same extract.
const MONACO = new URL('../../../shared/data/osm/monaco.osm.pbf', import.meta.url).pathname;
const backend = process.env['ROUTING_BACKEND'] === 'osrm' ? 'osrm' : 'embedded';

let server: Server;
let base: string;

// Points on Monaco's streets (Avenue Princesse Alice, the port, Fontvieille, Monte-Carlo).
const POINTS = [
  [7.4197, 43.7325],
  [7.4253, 43.7357],
  [7.4167, 43.7285],
  [7.4283, 43.7401],
  [7.4126, 43.7311],
] as const;
const coords = (indices: number[]): string => indices.map((i) => POINTS[i]!.join(',')).join(';');

beforeAll(async () => {
  let engine: RoutingEngine;
  if (backend === 'osrm') {
    engine = new OsrmHttpBackend(process.env['OSRM_URL'] ?? 'http://127.0.0.1:5000');
  } else {
    const { network } = await prepareNetwork(MONACO);
    engine = new OsrmEngine(new RoadRouter(network.graph, network.hierarchy));
  }
  server = createRoutingServer(engine);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  // Without a server (setup failed) there is nothing to close; waiting would only hide the real error.
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(base + path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Leg {
  distance: number;
  duration: number;
  steps: { maneuver: { type: string; location: number[] }; distance: number }[];
  annotation?: { distance: number[]; duration: number[]; nodes: number[] };
}
interface Route {
  distance: number;
  duration: number;
  weight: number;
  geometry: string | { type: string; coordinates: number[][] };
  legs: Leg[];
}

describe(`OSRM v1 contract (${backend} backend, Monaco)`, () => {
  it('route: legs per waypoint pair, steps from depart to arrive, annotations that add up', async () => {
    const { status, body } = await get(
      `/route/v1/driving/${coords([0, 1, 2])}?steps=true&annotations=true&overview=full`,
    );
    expect(status).toBe(200);
    expect(body['code']).toBe('Ok');
    const route = (body['routes'] as Route[])[0]!;
    expect(body['waypoints']).toHaveLength(3);
    expect(route.legs).toHaveLength(2);
    expect(route.distance).toBeCloseTo(route.legs[0]!.distance + route.legs[1]!.distance, 0);
    for (const leg of route.legs) {
      expect(leg.steps[0]!.maneuver.type).toBe('depart');
      expect(leg.steps[leg.steps.length - 1]!.maneuver.type).toBe('arrive');
      const annotated = leg.annotation!.distance.reduce((a, b) => a + b, 0);
      expect(Math.abs(annotated - leg.distance)).toBeLessThan(1 + leg.distance * 0.01);
      expect(leg.annotation!.nodes.length).toBeGreaterThan(1);
    }
    const line = decodePolyline(route.geometry as string);
    expect(line[0]![0]).toBeCloseTo(POINTS[0]![0], 2);
    expect(line[line.length - 1]![1]).toBeCloseTo(POINTS[2]![1], 2);
  });

  it('route: polyline6 and GeoJSON describe the same line', async () => {
    const p6 = await get(`/route/v1/driving/${coords([3, 4])}?geometries=polyline6&overview=full`);
    const geojson = await get(`/route/v1/driving/${coords([3, 4])}?geometries=geojson&overview=full`);
    const a = decodePolyline((p6.body['routes'] as Route[])[0]!.geometry as string, 6);
    const b = ((geojson.body['routes'] as Route[])[0]!.geometry as { coordinates: number[][] }).coordinates;
    expect(a.length).toBe(b.length);
    a.forEach((point, i) => {
      expect(point[0]).toBeCloseTo(b[i]![0]!, 5);
      expect(point[1]).toBeCloseTo(b[i]![1]!, 5);
    });
  });

  it('table: square matrix, zero diagonal, cells equal to routes', async () => {
    const all = [0, 1, 2, 3, 4];
    const { body } = await get(`/table/v1/driving/${coords(all)}?annotations=duration,distance`);
    expect(body['code']).toBe('Ok');
    const durations = body['durations'] as number[][];
    const distances = body['distances'] as number[][];
    expect(durations).toHaveLength(5);
    for (let i = 0; i < 5; i++) {
      expect(durations[i]![i]).toBe(0);
      for (const j of [1, 3]) {
        if (i === j) continue;
        const route = (await get(`/route/v1/driving/${coords([i, j])}?overview=false`)).body[
          'routes'
        ] as Route[];
        expect(durations[i]![j]).toBeCloseTo(route[0]!.weight, 0);
        expect(Math.abs(distances[i]![j]! - route[0]!.distance)).toBeLessThan(2);
      }
    }
    const subset = await get(`/table/v1/driving/${coords(all)}?sources=0;2&destinations=1`);
    expect(subset.body['durations']).toHaveLength(2);
    expect((subset.body['durations'] as number[][])[0]).toHaveLength(1);
  });

  it('nearest: the requested number of distinct road positions, nearest first', async () => {
    const { body } = await get(`/nearest/v1/driving/${coords([0])}?number=3`);
    const waypoints = body['waypoints'] as { distance: number; nodes: number[] }[];
    expect(waypoints).toHaveLength(3);
    expect(waypoints[0]!.distance).toBeLessThanOrEqual(waypoints[1]!.distance);
    expect(waypoints[1]!.distance).toBeLessThanOrEqual(waypoints[2]!.distance);
    expect(waypoints[0]!.nodes).toHaveLength(2);
  });

  it('match: a trace of route coordinates matches with confidence and one tracepoint each', async () => {
    const route = (await get(`/route/v1/driving/${coords([1, 3])}?overview=full&geometries=geojson`)).body[
      'routes'
    ] as Route[];
    const line = (route[0]!.geometry as { coordinates: number[][] }).coordinates;
    const trace = line.filter((_, i) => i % Math.max(1, Math.floor(line.length / 20)) === 0).slice(0, 20);
    const timestamps = trace.map((_, i) => 1_800_000_000 + i * 5).join(';');
    const { body } = await get(
      `/match/v1/driving/${trace.map((p) => p.join(',')).join(';')}?timestamps=${timestamps}`,
    );
    expect(body['code']).toBe('Ok');
    const matchings = body['matchings'] as { confidence: number; distance: number }[];
    expect(matchings.length).toBeGreaterThanOrEqual(1);
    expect(matchings[0]!.confidence).toBeGreaterThan(0.3);
    expect(body['tracepoints']).toHaveLength(trace.length);
  });

  it('errors: OSRM codes with HTTP 400', async () => {
    const noSegment = await get(`/route/v1/driving/7.0,43.0;${POINTS[0]!.join(',')}?radiuses=5;unlimited`);
    expect(noSegment.status).toBe(400);
    expect(noSegment.body['code']).toBe('NoSegment');
    expect((await get('/route/v1/driving/7.41,43.73')).body['code']).toBe('InvalidOptions');
    expect((await get('/route/v1/driving/7.41;43.73')).body['code']).toBe('InvalidQuery');
    expect((await get('/trip/v2/driving/7.41,43.73')).body['code']).toBe('InvalidVersion');
    expect((await get('/foo/v1/driving/7.41,43.73;7.42,43.74')).body['code']).toBe('InvalidService');
  });
});
