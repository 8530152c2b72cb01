import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GeofenceIndex } from './geofence-index.js';
import { isInsidePolygon, LAT_DEGREES_PER_METRE, localDistanceM, lonDegreesPerMetre } from './geo.js';
import type { Site } from './types.js';

const LAT = 55.8;
const dLon = lonDegreesPerMetre(LAT);

describe('GeofenceIndex', () => {
  it('finds circles and polygons, the nearest of overlapping ones', () => {
    const square: [number, number][] = [
      [37.6, 55.8],
      [37.6 + 50 * dLon, 55.8],
      [37.6 + 50 * dLon, 55.8 + 50 * LAT_DEGREES_PER_METRE],
      [37.6, 55.8 + 50 * LAT_DEGREES_PER_METRE],
    ];
    const sites: Site[] = [
      { id: 'circle', lon: 37.61, lat: 55.8, radiusM: 30 },
      {
        id: 'square',
        lon: 37.6 + 25 * dLon,
        lat: 55.8 + 25 * LAT_DEGREES_PER_METRE,
        radiusM: 1,
        polygon: square,
      },
      { id: 'near', lon: 37.61 + 20 * dLon, lat: 55.8, radiusM: 30 },
    ];
    const index = new GeofenceIndex(sites);
    expect(index.locate(37.6 + 45 * dLon, 55.8 + 5 * LAT_DEGREES_PER_METRE)?.place.id).toBe('square');
    expect(index.locate(37.6 + 55 * dLon, 55.8)).toBeUndefined();
    expect(index.locate(37.61 + 2 * dLon, 55.8)?.place.id).toBe('circle');
    expect(index.locate(37.61 + 15 * dLon, 55.8)?.place.id).toBe('near');
    expect(index.locate(0, 0)).toBeUndefined();
  });

  it('answers as a scan over every geofence does', () => {
    const site = fc.record({
      x: fc.double({ min: 0, max: 3000, noNaN: true }),
      y: fc.double({ min: 0, max: 3000, noNaN: true }),
      r: fc.double({ min: 5, max: 80, noNaN: true }),
      box: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(site, { minLength: 1, maxLength: 60 }),
        fc.array(
          fc.tuple(
            fc.double({ min: -100, max: 3100, noNaN: true }),
            fc.double({ min: -100, max: 3100, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 50,
          },
        ),
        (raw, points) => {
          const sites: Site[] = raw.map(({ x, y, r, box }, i) => {
            const lon = 37.6 + x * dLon;
            const lat = LAT + y * LAT_DEGREES_PER_METRE;
            const polygon = box
              ? ([
                  [lon - r * dLon, lat - r * LAT_DEGREES_PER_METRE],
                  [lon + r * dLon, lat - r * LAT_DEGREES_PER_METRE],
                  [lon + r * dLon, lat + r * LAT_DEGREES_PER_METRE],
                  [lon - r * dLon, lat + r * LAT_DEGREES_PER_METRE],
                ] as [number, number][])
              : undefined;
            return { id: `s${i}`, lon, lat, radiusM: r, ...(polygon ? { polygon } : {}) };
          });
          const index = new GeofenceIndex(sites);
          for (const [x, y] of points) {
            const lon = 37.6 + x * dLon;
            const lat = LAT + y * LAT_DEGREES_PER_METRE;
            const holding = sites.filter((s) =>
              s.polygon
                ? isInsidePolygon(lon, lat, s.polygon)
                : localDistanceM(s.lon, s.lat, lon, lat) <= s.radiusM,
            );
            const hit = index.locate(lon, lat);
            if (holding.length === 0) {
              expect(hit).toBeUndefined();
              continue;
            }
            const best = Math.min(...holding.map((s) => localDistanceM(s.lon, s.lat, lon, lat)));
            expect(hit?.distanceM).toBeCloseTo(best, 6);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
