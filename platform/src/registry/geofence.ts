import type { GeoJsonPolygon } from '../http/common-schemas.js';

const EARTH_RADIUS_M = 6_371_008.8;
const CIRCLE_VERTICES = 32;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
const toDegrees = (radians: number): number => (radians * 180) / Math.PI;

/** Great-circle (haversine) distance in metres; the same formula as SQL `msw_distance_m`. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = toRadians(lat2 - lat1);
  const dLon = toRadians(lon2 - lon1);
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(lat1)) * Math.cos(toRadians(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point at `distance` metres from (lon, lat) along `bearing` degrees (spherical destination formula). */
function destination(lon: number, lat: number, distance: number, bearing: number): [number, number] {
  const angular = distance / EARTH_RADIUS_M;
  const phi1 = toRadians(lat);
  const theta = toRadians(bearing);
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(angular) + Math.cos(phi1) * Math.sin(angular) * Math.cos(theta),
  );
  const lambda2 =
    toRadians(lon) +
    Math.atan2(
      Math.sin(theta) * Math.sin(angular) * Math.cos(phi1),
      Math.cos(angular) - Math.sin(phi1) * Math.sin(phi2),
    );
  const round = (value: number): number => Math.round(value * 1e7) / 1e7;
  return [round(toDegrees(lambda2)), round(toDegrees(phi2))];
}

/** A geofence drawn as a circle: a closed 32-gon around the point, counter-clockwise (RFC 7946). */
export function circlePolygon(lon: number, lat: number, radiusM: number): GeoJsonPolygon {
  const ring: [number, number][] = [];
  for (let i = 0; i < CIRCLE_VERTICES; i++)
    ring.push(destination(lon, lat, radiusM, 360 - (i * 360) / CIRCLE_VERTICES));
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

/** The smallest radius around the point that holds the whole polygon: a cheap pre-filter for visits. */
export function boundingRadiusM(lon: number, lat: number, polygon: GeoJsonPolygon): number {
  let radius = 0;
  for (const ring of polygon.coordinates) {
    for (const [x, y] of ring) radius = Math.max(radius, distanceM(lon, lat, x, y));
  }
  return Math.ceil(radius);
}
