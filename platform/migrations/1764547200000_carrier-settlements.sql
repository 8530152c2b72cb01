-- Up Migration

-- Carrier settlements (issue #5): settlement rules on contracts, planned visits (the routing
-- optimizer's work orders will fill them), dispatcher reviews of collection facts, carrier disputes,
-- monthly settlements with versions, carrier payments and the operator's requisites for documents.
-- Collection facts and unloadings live in platform/src/facts/schema.sql: referenced by id (text),
-- without foreign keys, because that schema is applied separately for now.

-- The operator's own requisites (документы: акт сверки) and the local time zone of dates and windows.
CREATE TABLE operator_profile (
  id          int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  inn         text CHECK (inn ~ '^[0-9]{10}([0-9]{2})?$'),
  kpp         text CHECK (kpp ~ '^[0-9]{9}$'),
  address     text,
  time_zone   text NOT NULL DEFAULT 'Europe/Moscow',
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO operator_profile (name) VALUES ('Региональный оператор по обращению с ТКО');

-- How a contract verifies facts and what it deducts for missed and late visits:
-- 'fixed': RUB per missed / late visit; 'percent': % of the lot's monthly accrual per visit.
ALTER TABLE contracts
  ADD COLUMN confidence_threshold numeric(4, 3) NOT NULL DEFAULT 0.900
    CHECK (confidence_threshold >= 0 AND confidence_threshold <= 1),
  ADD COLUMN deduction_rule text NOT NULL DEFAULT 'none' CHECK (deduction_rule IN ('none', 'fixed', 'percent')),
  ADD COLUMN missed_visit_deduction numeric(14, 2) NOT NULL DEFAULT 0 CHECK (missed_visit_deduction >= 0),
  ADD COLUMN late_visit_deduction numeric(14, 2) NOT NULL DEFAULT 0 CHECK (late_visit_deduction >= 0),
  ADD COLUMN late_tolerance_min int NOT NULL DEFAULT 0 CHECK (late_tolerance_min BETWEEN 0 AND 1440),
  ADD CONSTRAINT contracts_percent_le_100
    CHECK (deduction_rule <> 'percent' OR (missed_visit_deduction <= 100 AND late_visit_deduction <= 100));

-- A visit the work order plans (наряд): site, local date and window, the carrier (and vehicle).
CREATE TABLE planned_visits (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id         uuid NOT NULL REFERENCES sites (id),
  visit_date      date NOT NULL,
  window_from     text CHECK (window_from ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  window_to       text CHECK (window_to ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  carrier_id      uuid NOT NULL REFERENCES carriers (id),
  vehicle_id      uuid REFERENCES vehicles (id),
  work_order_ref  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((window_from IS NULL) = (window_to IS NULL)),
  CHECK (window_to >= window_from)
);
CREATE INDEX planned_visits_carrier_date_idx ON planned_visits (carrier_id, visit_date);

-- A dispatcher's explicit verdict on a fact (e.g. accepts a driver-only, low-confidence fact).
CREATE TABLE fact_reviews (
  fact_id      text PRIMARY KEY,
  verdict      text NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
  comment      text NOT NULL,
  reviewed_by  uuid NOT NULL REFERENCES users (id),
  reviewed_at  timestamptz NOT NULL DEFAULT now()
);

-- A carrier contests a fact (not counted, or too few containers) or a missed/late verdict on a visit.
CREATE TABLE disputes (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carrier_id               uuid NOT NULL REFERENCES carriers (id),
  fact_id                  text,
  planned_visit_id         uuid REFERENCES planned_visits (id),
  comment                  text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
  -- [{kind:'photo-url', value} | {kind:'photo-id', value} | {kind:'document', value}]
  evidence                 jsonb NOT NULL DEFAULT '[]',
  claimed_container_count  int CHECK (claimed_container_count >= 0),
  status                   text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  resolution_comment       text,
  resolved_by              uuid REFERENCES users (id),
  resolved_at              timestamptz,
  created_by               uuid NOT NULL REFERENCES users (id),
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK ((fact_id IS NULL) <> (planned_visit_id IS NULL)),
  CHECK (claimed_container_count IS NULL OR fact_id IS NOT NULL),
  CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX disputes_carrier_idx ON disputes (carrier_id, created_at);
-- One open dispute per subject at a time.
CREATE UNIQUE INDEX disputes_open_fact_idx ON disputes (fact_id) WHERE status = 'open' AND fact_id IS NOT NULL;
CREATE UNIQUE INDEX disputes_open_visit_idx ON disputes (planned_visit_id)
  WHERE status = 'open' AND planned_visit_id IS NOT NULL;

-- A monthly settlement of one carrier's lot (contract). Drafts are recomputed in place; an approved
-- one is frozen, and recomputing it makes version + 1 only on request; approving that supersedes it.
CREATE TABLE carrier_settlements (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carrier_id        uuid NOT NULL REFERENCES carriers (id),
  contract_id       uuid NOT NULL REFERENCES contracts (id),
  period_month      date NOT NULL CHECK (extract(day FROM period_month) = 1),
  version           int NOT NULL CHECK (version >= 1),
  status            text NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
  period_from       date NOT NULL,
  period_to         date NOT NULL CHECK (period_to >= period_from),
  tariff_unit       text NOT NULL CHECK (tariff_unit IN ('m3', 'tonne', 'trip')),
  tariff_rub        numeric(14, 2) NOT NULL,
  facts_counted     int NOT NULL,
  facts_pending     int NOT NULL,
  facts_excluded    int NOT NULL,
  volume_m3         numeric(14, 3) NOT NULL,
  mass_t            numeric(14, 3) NOT NULL,
  unweighed_facts   int NOT NULL,
  trips             int NOT NULL,
  quantity          numeric(14, 3) NOT NULL,
  accrual_rub       numeric(14, 2) NOT NULL CHECK (accrual_rub >= 0),
  visits_planned    int NOT NULL,
  visits_served     int NOT NULL,
  visits_late       int NOT NULL,
  visits_missed     int NOT NULL,
  visits_excused    int NOT NULL,
  deduction_rule    text NOT NULL,
  deduction_rub     numeric(14, 2) NOT NULL CHECK (deduction_rub >= 0 AND deduction_rub <= accrual_rub),
  total_rub         numeric(14, 2) NOT NULL CHECK (total_rub = accrual_rub - deduction_rub),
  details           jsonb NOT NULL,
  computed_by       uuid,
  computed_at       timestamptz NOT NULL DEFAULT now(),
  approved_by       uuid REFERENCES users (id),
  approved_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contract_id, period_month, version),
  CHECK ((status = 'draft') = (approved_at IS NULL))
);
CREATE UNIQUE INDEX carrier_settlements_one_draft_idx ON carrier_settlements (contract_id, period_month)
  WHERE status = 'draft';
CREATE INDEX carrier_settlements_carrier_idx ON carrier_settlements (carrier_id, period_month);

-- Payments to carriers (платёжные поручения), for the reconciliation act and accounting entries.
CREATE TABLE carrier_payments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  carrier_id       uuid NOT NULL REFERENCES carriers (id),
  contract_id      uuid REFERENCES contracts (id),
  paid_on          date NOT NULL,
  amount_rub       numeric(14, 2) NOT NULL CHECK (amount_rub > 0),
  document_number  text NOT NULL,
  purpose          text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carrier_payments_carrier_idx ON carrier_payments (carrier_id, paid_on);
