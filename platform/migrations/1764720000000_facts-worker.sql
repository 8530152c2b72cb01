-- Up Migration

-- The facts worker's own state (platform/src/facts-worker): resume points and live alerts.

-- Per tracker: where the next detection run starts. Everything before resume_ms is final and stored;
-- a run replays from here (minus a short lead-in), so a restart neither loses nor duplicates facts.
CREATE TABLE IF NOT EXISTS fact_watermarks (
  device_id   text PRIMARY KEY,
  resume_ms   bigint NOT NULL,
  -- Whether the body carried waste at resume_ms (lifts, no unloading since): the "loaded" norm of
  -- the trips after it depends on lifts from before the replayed part.
  loaded      boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Deviations raised while the day runs (suspected fuel theft, plan deviations). The id is derived
-- from what raised it, so re-detection never raises the same alert twice.
CREATE TABLE IF NOT EXISTS alerts (
  id          text PRIMARY KEY,
  kind        text NOT NULL,
  carrier_id  uuid,
  vehicle_id  text,
  time        timestamptz NOT NULL,
  details     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS alerts_created_idx ON alerts (created_at);
CREATE INDEX IF NOT EXISTS alerts_carrier_idx ON alerts (carrier_id, created_at);
