import type { Database } from '../db/pool.js';
import type { Facility, FuelNorm, Site } from '../facts/types.js';
import type { GeoJsonPolygon } from '../http/common-schemas.js';
import { boundingRadiusM } from '../registry/geofence.js';
import { listSitesForGeofencing } from '../registry/site-repository.js';

/** A platform vehicle that has a gateway tracker: the engine's vehicle id is the vehicle's uuid. */
export interface TrackedVehicle {
  vehicleId: string;
  carrierId: string;
  deviceId: string;
  norm: FuelNorm;
}

export interface FleetDirectory {
  vehicles: TrackedVehicle[];
  sites: Site[];
  facilities: Facility[];
}

/** Reads what detection needs of the registry and the fleet, once per run (it changes rarely). */
export async function loadFleetDirectory(db: Database): Promise<FleetDirectory> {
  const vehicles = await db.query<{
    id: string;
    carrier_id: string;
    tracker_device_id: string;
    empty: string;
    loaded: string;
    idle: string;
  }>(
    `SELECT id, carrier_id, tracker_device_id, consumption_empty_l_100km AS empty,
            consumption_loaded_l_100km AS loaded, consumption_idle_l_per_hour AS idle
     FROM vehicles WHERE tracker_device_id IS NOT NULL AND status <> 'retired' ORDER BY id`,
  );
  const facilities = await db.query<{
    id: string;
    lon: number;
    lat: number;
    radius_m: number;
    geofence: GeoJsonPolygon | null;
  }>(
    `SELECT id, lon, lat, geofence_radius_m AS radius_m, geofence
     FROM facilities WHERE status IN ('active', 'suspended') ORDER BY id`,
  );
  const sites = await listSitesForGeofencing(db);
  return {
    vehicles: vehicles.rows.map((v) => ({
      vehicleId: v.id,
      carrierId: v.carrier_id,
      deviceId: v.tracker_device_id,
      norm: {
        emptyLPer100Km: Number(v.empty),
        loadedLPer100Km: Number(v.loaded),
        idleLPerHour: Number(v.idle),
      },
    })),
    sites: sites.map((s) => ({
      id: s.id,
      lon: s.lon,
      lat: s.lat,
      radiusM: s.radiusM,
      ...(s.polygon ? { polygon: s.polygon.coordinates[0] } : {}),
    })),
    // A drawn gate area wins over the radius, which then only bounds it (as for sites).
    facilities: facilities.rows.map((f) =>
      f.geofence
        ? {
            id: f.id,
            lon: f.lon,
            lat: f.lat,
            radiusM: boundingRadiusM(f.lon, f.lat, f.geofence),
            polygon: f.geofence.coordinates[0],
          }
        : { id: f.id, lon: f.lon, lat: f.lat, radiusM: f.radius_m },
    ),
  };
}
