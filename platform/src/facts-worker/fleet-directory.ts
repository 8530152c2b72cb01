import type { Database } from '../db/pool.js';
import type { Facility, FuelNorm, Site } from '../facts/types.js';
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

// Facilities have no drawn fence in the registry; a landfill's gate area fits in this radius.
const FACILITY_RADIUS_M = 150;
// The registry has no idling norm yet; a refuse truck idles at about this rate.
const IDLE_L_PER_HOUR = 3;

/** Reads what detection needs of the registry and the fleet, once per run (it changes rarely). */
export async function loadFleetDirectory(db: Database): Promise<FleetDirectory> {
  const vehicles = await db.query<{
    id: string;
    carrier_id: string;
    tracker_device_id: string;
    empty: string;
    loaded: string;
  }>(
    `SELECT id, carrier_id, tracker_device_id, consumption_empty_l_100km AS empty,
            consumption_loaded_l_100km AS loaded
     FROM vehicles WHERE tracker_device_id IS NOT NULL AND status <> 'retired' ORDER BY id`,
  );
  const facilities = await db.query<{ id: string; lon: number; lat: number }>(
    `SELECT id, lon, lat FROM facilities WHERE status IN ('active', 'suspended') ORDER BY id`,
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
        idleLPerHour: IDLE_L_PER_HOUR,
      },
    })),
    sites: sites.map((s) => ({
      id: s.id,
      lon: s.lon,
      lat: s.lat,
      radiusM: s.radiusM,
      ...(s.polygon ? { polygon: s.polygon.coordinates[0] } : {}),
    })),
    facilities: facilities.rows.map((f) => ({
      id: f.id,
      lon: f.lon,
      lat: f.lat,
      radiusM: FACILITY_RADIUS_M,
    })),
  };
}
