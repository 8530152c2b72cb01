-- Up Migration

-- Evidence that arrives from people, not trackers (issue #5): collection reports from the driver app
-- (offline-first, uploaded hours later) and weighbridge tickets entered at facilities. The facts
-- worker (platform/src/facts-worker/evidence-merge.ts) merges them into the stored collection facts
-- and unloadings; fact_id / unloading_id say where each one went.

CREATE TABLE driver_reports (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Made by the app when the driver registers the fact; a retried upload repeats it.
  client_id        uuid NOT NULL,
  vehicle_id       uuid NOT NULL REFERENCES vehicles (id),
  -- The vehicle's carrier when the report came in: the row scope of carrier staff and drivers.
  carrier_id       uuid NOT NULL REFERENCES carriers (id),
  author_user_id   uuid NOT NULL REFERENCES users (id),
  -- The site the driver picked; NULL when only coordinates were sent (the geofence decides).
  site_id          uuid REFERENCES sites (id),
  report_time      timestamptz NOT NULL,
  lon              float8 NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat              float8 NOT NULL CHECK (lat BETWEEN -90 AND 90),
  container_count  int NOT NULL CHECK (container_count > 0 AND container_count <= 200),
  comment          text CHECK (length(comment) <= 2000),
  received_at      timestamptz NOT NULL DEFAULT now(),
  -- The collection fact the report is merged into (a telematics fact, or `driver:<id>`), and when.
  fact_id          text,
  merged_at        timestamptz,
  UNIQUE (author_user_id, client_id),
  CHECK ((fact_id IS NULL) = (merged_at IS NULL))
);
CREATE INDEX driver_reports_vehicle_time_idx ON driver_reports (vehicle_id, report_time);
CREATE INDEX driver_reports_carrier_time_idx ON driver_reports (carrier_id, report_time);
CREATE INDEX driver_reports_fact_idx ON driver_reports (fact_id);

-- The report's photo, checked by its magic bytes (JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A).
CREATE TABLE driver_report_photos (
  report_id     uuid PRIMARY KEY REFERENCES driver_reports (id) ON DELETE CASCADE,
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  data          bytea NOT NULL CHECK (octet_length(data) BETWEEN 8 AND 5242880),
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  CHECK (
    (content_type = 'image/jpeg' AND substring(data FROM 1 FOR 3) = '\xffd8ff'::bytea)
    OR (content_type = 'image/png' AND substring(data FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea)
  )
);

-- Талон взвешивания: the net mass of one unloading as the facility's weighbridge measured it.
CREATE TABLE weighbridge_tickets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_no     text NOT NULL CHECK (length(ticket_no) BETWEEN 1 AND 64),
  facility_id   uuid NOT NULL REFERENCES facilities (id),
  vehicle_id    uuid NOT NULL REFERENCES vehicles (id),
  weighed_at    timestamptz NOT NULL,
  gross_kg      numeric(9, 1) CHECK (gross_kg >= 0),
  tare_kg       numeric(9, 1) CHECK (tare_kg >= 0),
  net_kg        numeric(9, 1) NOT NULL CHECK (net_kg >= 0),
  entered_by    uuid NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- The facility_unloadings row the mass went to.
  unloading_id  text,
  UNIQUE (facility_id, ticket_no),
  CHECK ((gross_kg IS NULL) = (tare_kg IS NULL)),
  CHECK (gross_kg IS NULL OR net_kg = gross_kg - tare_kg)
);
CREATE INDEX weighbridge_tickets_vehicle_time_idx ON weighbridge_tickets (vehicle_id, weighed_at);
CREATE INDEX weighbridge_tickets_time_idx ON weighbridge_tickets (weighed_at);
-- One ticket per unloading.
CREATE UNIQUE INDEX weighbridge_tickets_unloading_idx ON weighbridge_tickets (unloading_id)
  WHERE unloading_id IS NOT NULL;

-- The mass reaches per-tonne settlements exactly (real kept ~6 significant digits).
ALTER TABLE facility_unloadings ALTER COLUMN net_kg TYPE numeric(9, 1) USING round(net_kg::numeric, 1);

-- Down Migration

ALTER TABLE facility_unloadings ALTER COLUMN net_kg TYPE real;
DROP TABLE weighbridge_tickets;
DROP TABLE driver_report_photos;
DROP TABLE driver_reports;
