import { describe, expect, it } from 'vitest';
import { boundingRadiusM, circlePolygon, distanceM } from './geofence.js';

describe('geofence', () => {
  it('measures great-circle distances', () => {
    // One degree of latitude is about 111.2 km.
    expect(distanceM(37.6, 55.7, 37.6, 56.7)).toBeCloseTo(111_195, -1);
    expect(distanceM(37.6, 55.7, 37.6, 55.7)).toBe(0);
  });

  it('draws a closed circle whose vertices lie at the radius', () => {
    const polygon = circlePolygon(37.62, 55.75, 40);
    const ring = polygon.coordinates[0]!;
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    for (const [x, y] of ring) expect(distanceM(37.62, 55.75, x, y)).toBeCloseTo(40, 0);
    expect([40, 41]).toContain(boundingRadiusM(37.62, 55.75, polygon));
  });
});
