import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchObservations } from '../src/engine/match-service.js';
import { OsrmEngine } from '../src/engine/osrm-engine.js';
import { RoadRouter } from '../src/engine/road-router.js';
import { createRandom } from '../src/ch/synthetic-graph.js';
import { prepareNetwork } from '../src/prepare.js';
import type { MatchResponse } from '../src/server/osrm-types.js';
import { parseRequest } from '../src/server/parse-request.js';
import { traceAlong } from '../src/engine/trace-along.js';

const MOSCOW = new URL('../../../shared/data/osm/moscow-ostankino.osm.gz', import.meta.url).pathname;
const BBOX = [37.5814, 55.8013, 37.6324, 55.827] as const;

let router: RoadRouter;
let engine: OsrmEngine;

beforeAll(async () => {
  const { network } = await prepareNetwork(MOSCOW);
  router = new RoadRouter(network.graph, network.hierarchy);
  engine = new OsrmEngine(router);
}, 60_000);

describe('map matching on the Moscow extract', () => {
  it('matches noisy traces generated along known paths back to those paths', () => {
    const context = router.context(undefined);
    const point = fc.tuple(
      fc.double({ min: BBOX[0], max: BBOX[2], noNaN: true }),
      fc.double({ min: BBOX[1], max: BBOX[3], noNaN: true }),
    );
    let checked = 0;
    fc.assert(
      fc.property(point, point, fc.integer({ min: 1, max: 1e9 }), ([lonA, latA], [lonB, latB], seed) => {
        const a = router.nearest(context, lonA, latA)[0];
        const b = router.nearest(context, lonB, latB)[0];
        if (!a || !b) return;
        const trace = traceAlong(router, context, a, b, 60, 4, createRandom(seed));
        if (!trace || trace.path.distanceM < 500) return;
        const matched = matchObservations(router, context, trace.points);
        // One sub-matching covering (almost) the whole trace.
        expect(matched.matchings.length).toBeGreaterThanOrEqual(1);
        const covered = matched.matchings.reduce((n, m) => n + m.observations.length, 0);
        expect(covered).toBeGreaterThanOrEqual(trace.points.length * 0.9);
        // The matched route drives the true path's road nodes.
        const drivenNodes = new Set<number>();
        for (const m of matched.matchings) {
          for (let k = 0; k + 1 < m.phantoms.length; k++) {
            const leg = router.route(context, m.phantoms[k]!, m.phantoms[k + 1]!);
            for (const piece of leg?.pieces ?? []) {
              const g = router.graph;
              for (let i = g.pieceGeomStart[piece]!; i < g.pieceGeomStart[piece + 1]!; i++)
                drivenNodes.add(g.pointOsmId[g.geomPoint[i]!]!);
            }
          }
        }
        const inner = trace.trueNodes.slice(2, -2);
        const hits = inner.filter((n) => drivenNodes.has(n)).length;
        expect(hits / Math.max(1, inner.length)).toBeGreaterThanOrEqual(0.9);
        checked += 1;
      }),
      { numRuns: 40, seed: 11 },
    );
    expect(checked).toBeGreaterThan(10);
  });

  it('answers OSRM /match with matchings, confidence and tracepoints, and splits at a jump', async () => {
    const context = router.context(undefined);
    const random = createRandom(5);
    const [a, b, c, d] = [
      [37.5886, 55.8211],
      [37.5998, 55.8152],
      [37.6232, 55.8218],
      [37.6076, 55.8217],
    ].map(([lon, lat]) => router.nearest(context, lon!, lat!)[0]!);
    const first = traceAlong(router, context, a!, b!, 30, 3, random)!;
    const second = traceAlong(router, context, c!, d!, 30, 3, random)!;
    // The second trace starts 2 s after the first ends, more than 1 km away: no truck does that.
    const offset = first.points[first.points.length - 1]!.timeS + 2 - second.points[0]!.timeS;
    const points = [...first.points, ...second.points.map((p) => ({ ...p, timeS: p.timeS + offset }))];
    const coordinates = points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
    const timestamps = points.map((p) => p.timeS).join(';');
    const request = parseRequest(
      `/match/v1/driving/${coordinates}?timestamps=${timestamps}&overview=full&geometries=geojson`,
    );
    expect('service' in request).toBe(true);
    const response = (await engine.match(request as Parameters<OsrmEngine['match']>[0])) as MatchResponse;
    expect(response.code).toBe('Ok');
    expect(response.matchings.length).toBe(2);
    for (const matching of response.matchings) {
      expect(matching.confidence).toBeGreaterThan(0);
      expect(matching.confidence).toBeLessThanOrEqual(1);
      expect(matching.distance).toBeGreaterThan(300);
    }
    expect(response.tracepoints).toHaveLength(points.length);
    const indices = response.tracepoints.filter((t) => t !== null).map((t) => t!.matchings_index);
    expect(indices[0]).toBe(0);
    expect(indices[indices.length - 1]).toBe(1);
  });
});
