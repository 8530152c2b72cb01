import type { GeoJsonPolygon } from '../http/common-schemas.js';
import { selectList, type EntityRow } from './entity-store.js';
import type { Queryable } from './pool.js';
import { SITES } from './tables.js';

const EARTH_RADIUS_M = 6_371_008.8;
const FIRST_RADIUS_M = 500;

export interface NearestQuery {
  lon: number;
  lat: number;
  limit: number;
  maxDistanceM?: number;
  status?: string;
}

type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/**
 * The lon/lat box that holds every point within `radiusM` of (lon, lat) on the sphere: the latitude
 * span is exact, the longitude span is the spherical cap's widest extent. Near a pole or the
 * antimeridian it widens to all longitudes (still correct, only less selective).
 */
export function boxAround(lon: number, lat: number, radiusM: number): Box {
  const angular = radiusM / EARTH_RADIUS_M;
  if (angular >= Math.PI) return [-180, -90, 180, 90];
  const dLat = (angular * 180) / Math.PI;
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  const sinRatio = Math.sin(angular) / Math.cos((lat * Math.PI) / 180);
  if (minLat <= -90 || maxLat >= 90 || sinRatio >= 1)
    return [-180, Math.max(-90, minLat), 180, Math.min(90, maxLat)];
  const dLon = (Math.asin(sinRatio) * 180) / Math.PI;
  if (lon - dLon < -180 || lon + dLon > 180) return [-180, minLat, 180, maxLat];
  return [lon - dLon, minLat, lon + dLon, maxLat];
}

/**
 * The `limit` sites nearest to a point by great-circle distance, nearest first. Searches boxes of
 * growing radius on the GiST index: once `limit` sites lie within the radius, nothing outside the
 * box can be nearer, so the answer is exact without PostGIS.
 */
export async function findNearestSites(
  db: Queryable,
  query: NearestQuery,
): Promise<(EntityRow & { distanceM: number })[]> {
  const cap = Math.min(query.maxDistanceM ?? Infinity, Math.PI * EARTH_RADIUS_M);
  for (let radius = Math.min(FIRST_RADIUS_M, cap); ; radius = Math.min(radius * 4, cap)) {
    const [minLon, minLat, maxLon, maxLat] = boxAround(query.lon, query.lat, radius);
    const result = await db.query<EntityRow & { distanceM: number }>(
      `SELECT * FROM (
         SELECT ${selectList(SITES)}, msw_distance_m($1, $2, lon, lat) AS "distanceM" FROM sites
          WHERE location <@ box(point($3, $4), point($5, $6)) AND ($8::text IS NULL OR status = $8)
       ) AS candidates
       WHERE "distanceM" <= $7 ORDER BY "distanceM", id LIMIT $9`,
      [query.lon, query.lat, minLon, minLat, maxLon, maxLat, radius, query.status ?? null, query.limit],
    );
    if (result.rows.length >= query.limit || radius >= cap) return result.rows;
  }
}

export interface SiteGeofenceRow {
  id: string;
  lon: number;
  lat: number;
  status: string;
  geofence:
    | { kind: 'circle'; radiusM: number; polygon: GeoJsonPolygon }
    | { kind: 'polygon'; polygon: GeoJsonPolygon };
}

/** Sites that can be visited (active or suspended) with their geofences. */
export async function listSiteGeofences(db: Queryable): Promise<SiteGeofenceRow[]> {
  const result = await db.query<SiteGeofenceRow>(
    `SELECT id, lon, lat, status, geofence FROM sites WHERE status IN ('active', 'suspended') ORDER BY id`,
  );
  return result.rows;
}
