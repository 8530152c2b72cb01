-- Up Migration

-- The facts worker's last hard-coded values become registry data: each vehicle's idling norm
-- (L/h, until now 3 for every truck) and each facility's geofence (until now a 150 m circle for all).
ALTER TABLE vehicles
  ADD COLUMN consumption_idle_l_per_hour numeric(5, 2) NOT NULL DEFAULT 3
    CHECK (consumption_idle_l_per_hour >= 0);

-- A drawn GeoJSON Polygon (lon/lat, within 2 km of the point) when set, else a circle of the radius.
ALTER TABLE facilities
  ADD COLUMN geofence_radius_m integer NOT NULL DEFAULT 150 CHECK (geofence_radius_m BETWEEN 20 AND 2000),
  ADD COLUMN geofence jsonb CHECK (geofence IS NULL OR geofence ->> 'type' = 'Polygon');

-- Down Migration

ALTER TABLE facilities DROP COLUMN geofence, DROP COLUMN geofence_radius_m;
ALTER TABLE vehicles DROP COLUMN consumption_idle_l_per_hour;
