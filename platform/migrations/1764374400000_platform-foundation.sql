-- Up Migration

-- Platform foundation (issue #5): users and sessions, audit, the site registry (Decree 1039),
-- facilities and flows of the territorial scheme, carriers with contracts, vehicles and drivers,
-- and a minimal consumer account. Runs after the gateway's migrations (vehicles reference `devices`).
-- Plain PostgreSQL only: no PostGIS, no contrib extensions (the embedded server may lack them).
-- Points are the built-in `point` type (x = lon, y = lat) with GiST, which answers bbox queries (`<@ box`).

-- Great-circle distance in metres (haversine, mean Earth radius 6 371 008.8 m).
CREATE FUNCTION msw_distance_m(lon1 float8, lat1 float8, lon2 float8, lat2 float8) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT 2 * 6371008.8 * asin(least(1, sqrt(
    power(sin(radians(lat2 - lat1) / 2), 2)
    + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$$;

CREATE TABLE carriers (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  inn         text NOT NULL UNIQUE CHECK (inn ~ '^[0-9]{10}([0-9]{2})?$'),
  ogrn        text CHECK (ogrn ~ '^[0-9]{13}([0-9]{2})?$'),
  address     text,
  phone       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  login          text NOT NULL CHECK (login ~ '^[a-z0-9._@-]{3,64}$'),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'dispatcher', 'billing', 'carrier', 'consumer', 'driver')),
  -- Carrier staff and drivers belong to one carrier; everyone else to none.
  carrier_id     uuid REFERENCES carriers (id),
  full_name      text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('carrier', 'driver')) = (carrier_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_login_idx ON users (login);

-- Refresh tokens are stored as SHA-256 of a 256-bit random value. A rotation marks the old token used
-- and issues the next one in the same family; presenting a used token again revokes the family.
CREATE TABLE refresh_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id    uuid NOT NULL,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash   text NOT NULL UNIQUE,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Every change through the API: who, when, what, and the entity before and after (same transaction).
CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_id      uuid,
  actor_role    text NOT NULL,
  action        text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  entity        text NOT NULL,
  entity_id     text NOT NULL,
  before        jsonb,
  after         jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_at_brin ON audit_log USING brin (at);

CREATE TABLE municipalities (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 300),
  oktmo       text UNIQUE CHECK (oktmo ~ '^[0-9]{8}([0-9]{3})?$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Container sites (места (площадки) накопления ТКО), registry per Decree 1039.
CREATE TABLE sites (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  registry_number  text UNIQUE,
  address          text NOT NULL,
  lon              float8 NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat              float8 NOT NULL CHECK (lat BETWEEN -90 AND 90),
  location         point GENERATED ALWAYS AS (point(lon, lat)) STORED,
  -- {kind:'circle', radiusM, polygon} or {kind:'polygon', polygon}: GeoJSON Polygon, lon/lat.
  geofence         jsonb NOT NULL,
  surface          text NOT NULL,
  fenced           boolean NOT NULL DEFAULT false,
  owner            jsonb NOT NULL,
  containers       jsonb NOT NULL DEFAULT '[]',
  waste_sources    jsonb NOT NULL DEFAULT '[]',
  -- The optimizer's schedule JSON (daily, weekdays, every-n-days, monthly) and a local time window.
  schedule         jsonb NOT NULL,
  collection_window jsonb,
  status           text NOT NULL CHECK (status IN ('planned', 'active', 'suspended', 'closed')),
  municipality_id  uuid REFERENCES municipalities (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_location_gist ON sites USING gist (location);
CREATE INDEX sites_municipality_idx ON sites (municipality_id);

-- Facilities (объекты обработки, утилизации, обезвреживания, размещения).
CREATE TABLE facilities (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                 text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('landfill', 'transfer_station', 'sorting_plant', 'incinerator', 'composting')),
  address              text NOT NULL,
  lon                  float8 NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat                  float8 NOT NULL CHECK (lat BETWEEN -90 AND 90),
  location             point GENERATED ALWAYS AS (point(lon, lat)) STORED,
  opening_hours        jsonb NOT NULL DEFAULT '[]',
  accepted_waste       jsonb NOT NULL DEFAULT '[]',
  gate_fee_per_tonne   numeric(14, 2) CHECK (gate_fee_per_tonne >= 0),
  has_weighbridge      boolean NOT NULL DEFAULT false,
  status               text NOT NULL CHECK (status IN ('planned', 'active', 'suspended', 'closed')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facilities_location_gist ON facilities USING gist (location);

-- Territorial scheme flows: a municipality's waste goes to a facility (a share, over a period).
CREATE TABLE flows (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  municipality_id  uuid NOT NULL REFERENCES municipalities (id),
  facility_id      uuid NOT NULL REFERENCES facilities (id),
  share_percent    numeric(5, 2) NOT NULL CHECK (share_percent > 0 AND share_percent <= 100),
  valid_from       date NOT NULL,
  valid_to         date CHECK (valid_to >= valid_from),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (municipality_id, facility_id, valid_from)
);

-- Carrier contracts: one lot per municipality, tariff as an exact decimal per unit.
CREATE TABLE contracts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carrier_id       uuid NOT NULL REFERENCES carriers (id),
  number           text NOT NULL UNIQUE,
  municipality_id  uuid NOT NULL REFERENCES municipalities (id),
  lot_name         text NOT NULL,
  tariff_unit      text NOT NULL CHECK (tariff_unit IN ('m3', 'tonne', 'trip')),
  tariff_rub       numeric(14, 2) NOT NULL CHECK (tariff_rub >= 0),
  valid_from       date NOT NULL,
  valid_to         date NOT NULL CHECK (valid_to >= valid_from),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contracts_carrier_idx ON contracts (carrier_id);

CREATE TABLE vehicles (
  id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carrier_id                   uuid NOT NULL REFERENCES carriers (id),
  plate                        text NOT NULL UNIQUE,
  body_type                    text NOT NULL,
  body_volume_m3               numeric(6, 2) NOT NULL CHECK (body_volume_m3 > 0),
  compaction_ratio             numeric(4, 2) NOT NULL CHECK (compaction_ratio >= 1),
  fuel_tank_l                  numeric(6, 1) NOT NULL CHECK (fuel_tank_l > 0),
  consumption_empty_l_100km    numeric(5, 2) NOT NULL CHECK (consumption_empty_l_100km > 0),
  consumption_loaded_l_100km   numeric(5, 2) NOT NULL CHECK (consumption_loaded_l_100km > 0),
  -- The gateway's tracker; one tracker serves one vehicle.
  tracker_device_id            text UNIQUE REFERENCES devices (id) ON DELETE SET NULL,
  status                       text NOT NULL CHECK (status IN ('active', 'repair', 'retired')),
  created_at                   timestamptz NOT NULL DEFAULT now(),
  updated_at                   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicles_carrier_idx ON vehicles (carrier_id);

CREATE TABLE drivers (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carrier_id      uuid NOT NULL REFERENCES carriers (id),
  full_name       text NOT NULL,
  license_number  text NOT NULL UNIQUE,
  phone           text,
  user_id         uuid UNIQUE REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drivers_carrier_idx ON drivers (carrier_id);

-- Consumer accounts (лицевые счета), minimal until billing (a later issue) extends them.
CREATE TABLE accounts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number       text NOT NULL UNIQUE,
  holder_name  text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('individual', 'legal')),
  address      text NOT NULL,
  site_id      uuid REFERENCES sites (id),
  -- The consumer user who may see this account in the personal cabinet.
  owner_user_id uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_owner_idx ON accounts (owner_user_id);
