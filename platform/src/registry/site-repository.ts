import { listSiteGeofences } from '../db/sites.js';
import type { Queryable } from '../db/pool.js';
import type { GeoJsonPolygon } from '../http/common-schemas.js';
import { boundingRadiusM } from './geofence.js';

export interface GeofencedSite {
  id: string;
  lon: number;
  lat: number;
  /** Circle geofence: its radius. Drawn polygon: the radius that holds it (a pre-filter). */
  radiusM: number;
  /** Only for drawn geofences; a circle is fully described by the point and radiusM. */
  polygon?: GeoJsonPolygon;
  status: 'active' | 'suspended';
}

/** What collection-fact detection needs of the registry: where each visitable site is and its fence. */
export async function listSitesForGeofencing(db: Queryable): Promise<GeofencedSite[]> {
  const rows = await listSiteGeofences(db);
  return rows.map((row) => {
    const status = row.status === 'suspended' ? 'suspended' : 'active';
    if (row.geofence.kind === 'circle') {
      return { id: row.id, lon: row.lon, lat: row.lat, radiusM: row.geofence.radiusM, status };
    }
    const polygon = row.geofence.polygon;
    return {
      id: row.id,
      lon: row.lon,
      lat: row.lat,
      radiusM: boundingRadiusM(row.lon, row.lat, polygon),
      polygon,
      status,
    };
  });
}
