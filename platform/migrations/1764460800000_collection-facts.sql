-- Up Migration

-- Trips, stops, collection facts, unloadings and fuel events found in the telemetry
-- (platform/src/facts). Idempotent: fact-store.ts applies the same file to a database that has only
-- the gateway's tables (tests reading stored telemetry). Times are timestamptz (UTC); lon/lat WGS84.

CREATE TABLE IF NOT EXISTS vehicle_stops (
  vehicle_id      text NOT NULL,
  start_time      timestamptz NOT NULL,
  end_time        timestamptz NOT NULL,
  lon             double precision NOT NULL,
  lat             double precision NOT NULL,
  fix_count       integer NOT NULL,
  ignition_off_s  real NOT NULL,
  -- The data ended while the vehicle stood: end_time is its last fix, not a departure.
  truncated       boolean NOT NULL,
  fuel_start_l    real,
  fuel_end_l      real,
  PRIMARY KEY (vehicle_id, start_time)
);
CREATE INDEX IF NOT EXISTS vehicle_stops_time_brin ON vehicle_stops USING brin (start_time);

CREATE TABLE IF NOT EXISTS vehicle_trips (
  vehicle_id        text NOT NULL,
  start_time        timestamptz NOT NULL,
  end_time          timestamptz NOT NULL,
  from_lon          double precision NOT NULL,
  from_lat          double precision NOT NULL,
  to_lon            double precision NOT NULL,
  to_lat            double precision NOT NULL,
  distance_m        real NOT NULL,
  max_speed_kmh     real NOT NULL,
  loaded            boolean NOT NULL,
  truncated         boolean NOT NULL,
  -- Fuel between the rest levels at both ends, against the norm (empty or loaded).
  fuel_used_l       real,
  fuel_expected_l   real,
  norm_l_per_100km  real,
  PRIMARY KEY (vehicle_id, start_time)
);
CREATE INDEX IF NOT EXISTS vehicle_trips_time_brin ON vehicle_trips USING brin (start_time);

-- Факт вывоза: one site served by one vehicle, with its evidence and confidence.
CREATE TABLE IF NOT EXISTS collection_facts (
  id               text PRIMARY KEY,
  vehicle_id       text NOT NULL,
  site_id          text NOT NULL,
  arrival_time     timestamptz NOT NULL,
  departure_time   timestamptz NOT NULL,
  lon              double precision NOT NULL,
  lat              double precision NOT NULL,
  lift_count       integer NOT NULL,
  rfid_tags        text[] NOT NULL DEFAULT '{}',
  lift_weight_kg   real NOT NULL DEFAULT 0,
  container_count  integer NOT NULL,
  confidence       numeric(4, 3) NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  needs_review     boolean NOT NULL,
  evidence         jsonb NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS collection_facts_site_idx ON collection_facts (site_id, arrival_time);
CREATE INDEX IF NOT EXISTS collection_facts_vehicle_idx ON collection_facts (vehicle_id, arrival_time);

-- Выгрузка at a facility, with the weighbridge mass once the ticket is entered.
CREATE TABLE IF NOT EXISTS facility_unloadings (
  id              text PRIMARY KEY,
  vehicle_id      text NOT NULL,
  facility_id     text NOT NULL,
  arrival_time    timestamptz NOT NULL,
  departure_time  timestamptz NOT NULL,
  lon             double precision NOT NULL,
  lat             double precision NOT NULL,
  net_kg          real,
  ticket_id       text
);
CREATE INDEX IF NOT EXISTS facility_unloadings_facility_idx ON facility_unloadings (facility_id, arrival_time);

-- Заправки и сливы.
CREATE TABLE IF NOT EXISTS fuel_events (
  id              text PRIMARY KEY,
  vehicle_id      text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('refuel', 'drain')),
  start_time      timestamptz NOT NULL,
  end_time        timestamptz NOT NULL,
  litres          real NOT NULL,
  level_before_l  real NOT NULL,
  level_after_l   real NOT NULL,
  lon             double precision NOT NULL,
  lat             double precision NOT NULL,
  seen            text NOT NULL CHECK (seen IN ('stop', 'gap')),
  ignition_off    boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS fuel_events_vehicle_idx ON fuel_events (vehicle_id, start_time);
