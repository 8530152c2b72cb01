-- Up Migration

-- Trackers and their credentials. The secret is stored as an scrypt hash only.
CREATE TABLE devices (
  id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  secret_hash   text NOT NULL,
  carrier_id    text,
  vehicle_plate text,
  enabled       boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_carrier_idx ON devices (carrier_id);

-- One row per GNSS fix. (device_id, seq) identifies a record; time is part of the key because
-- both native partitioning and TimescaleDB require the partition column in every unique index.
-- A resend repeats the fix time, so the key still rejects every duplicate.
--
-- TimescaleDB branch (https://docs.timescale.com/api/latest/), only when the extension is preloaded:
-- a hypertable with daily chunks, compression segmented by device and a retention policy. Otherwise
-- plain PostgreSQL: declarative range partitioning by day (partitions made by the gateway).
DO $$
DECLARE
  columns constant text := $cols$(
    device_id          text NOT NULL,
    seq                bigint NOT NULL,
    time               timestamptz NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    lat                double precision NOT NULL,
    lon                double precision NOT NULL,
    speed_kmh          real NOT NULL,
    heading_deg        real NOT NULL,
    hdop               real NOT NULL,
    satellites         smallint NOT NULL,
    ignition           boolean NOT NULL,
    odometer_m         bigint NOT NULL,
    fuel_level_l       real,
    fuel_used_total_l  double precision,
    engine_hours       double precision,
    PRIMARY KEY (device_id, time, seq)
  )$cols$;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('shared_preload_libraries') LIKE '%timescaledb%' THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXECUTE 'CREATE TABLE telemetry ' || columns;
    PERFORM create_hypertable('telemetry', by_range('time', INTERVAL '1 day'));
    ALTER TABLE telemetry SET (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'device_id',
      timescaledb.compress_orderby = 'time DESC, seq DESC'
    );
    PERFORM add_compression_policy('telemetry', INTERVAL '7 days');
    PERFORM add_retention_policy('telemetry', INTERVAL '400 days');
  ELSE
    EXECUTE 'CREATE TABLE telemetry ' || columns || ' PARTITION BY RANGE (time)';
  END IF;
END $$;

-- Lift-arm cycles and RFID reads, one row per event, keyed by the record that carried it.
CREATE TABLE container_events (
  device_id  text NOT NULL,
  seq        bigint NOT NULL,
  idx        smallint NOT NULL,
  time       timestamptz NOT NULL,
  kind       smallint NOT NULL,
  arm        smallint NOT NULL,
  rfid       text,
  weight_kg  real,
  PRIMARY KEY (device_id, time, seq, idx)
);
CREATE INDEX container_events_time_brin ON container_events USING brin (time);
CREATE INDEX container_events_rfid_idx ON container_events (rfid) WHERE rfid IS NOT NULL;

-- Creates the missing daily partitions of `telemetry` for [from_day, to_day]. Returns how many it
-- created. A no-op on TimescaleDB, where chunks are created on insert.
CREATE FUNCTION telemetry_ensure_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day date := from_day;
  created integer := 0;
  part text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'telemetry'::regclass) THEN
    RETURN 0;
  END IF;
  WHILE day <= to_day LOOP
    part := 'telemetry_p' || to_char(day, 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF telemetry FOR VALUES FROM (%L) TO (%L)',
        part, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
      created := created + 1;
    END IF;
    day := day + 1;
  END LOOP;
  RETURN created;
END $$;

-- Drops daily partitions that end before `keep_from`. Returns how many it dropped.
CREATE FUNCTION telemetry_drop_partitions_before(keep_from date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  rec record;
  dropped integer := 0;
BEGIN
  FOR rec IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'telemetry'::regclass AND c.relname ~ '^telemetry_p[0-9]{8}$'
      AND to_date(substr(c.relname, 12), 'YYYYMMDD') < keep_from
  LOOP
    EXECUTE format('DROP TABLE %I', rec.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

-- Down Migration
DROP FUNCTION IF EXISTS telemetry_drop_partitions_before(date);
DROP FUNCTION IF EXISTS telemetry_ensure_partitions(date, date);
DROP TABLE IF EXISTS container_events;
DROP TABLE IF EXISTS telemetry;
DROP TABLE IF EXISTS devices;
