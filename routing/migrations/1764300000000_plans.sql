-- Up Migration

-- Collection plans (планы вывоза) of the optimizer: a named plan over a period of days. Each
-- optimisation of it is a new version; old versions are kept with their input and solution.
CREATE TABLE plans (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL,
  period_from  date NOT NULL,
  period_to    date NOT NULL CHECK (period_to >= period_from),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plan_versions (
  plan_id       bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  version       integer NOT NULL CHECK (version >= 1),
  -- The request as given (our JSON with site schedules) and the per-day solutions.
  input         jsonb NOT NULL,
  solution      jsonb NOT NULL,
  summary       jsonb NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  PRIMARY KEY (plan_id, version)
);

-- Work orders (наряды): one vehicle's stops on one day in one plan version.
CREATE TABLE work_orders (
  id            bigserial PRIMARY KEY,
  plan_id       bigint NOT NULL,
  version       integer NOT NULL,
  carrier_id    text NOT NULL,
  vehicle_id    text NOT NULL,
  date          date NOT NULL,
  stops         jsonb NOT NULL,
  summary       jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  published_at  timestamptz,
  FOREIGN KEY (plan_id, version) REFERENCES plan_versions (plan_id, version) ON DELETE CASCADE,
  UNIQUE (plan_id, version, vehicle_id, date)
);
-- The driver's app asks for a vehicle's published order of a day.
CREATE INDEX work_orders_published_idx ON work_orders (vehicle_id, date, published_at DESC)
  WHERE status = 'published';
CREATE INDEX work_orders_carrier_idx ON work_orders (carrier_id, date);

-- Down Migration

DROP TABLE work_orders;
DROP TABLE plan_versions;
DROP TABLE plans;
