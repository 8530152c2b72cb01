-- Up Migration

-- Long plan computations (a month of days at up to ROUTING_OPTIMIZER_MAX_TIME_S each) run as jobs:
-- POST /plans?async=true answers 202 at once and the caller polls GET /plans/jobs/{id}. The running
-- instance refreshes heartbeat_at; a job whose heartbeat stopped (the process died) reads as failed.
CREATE TABLE plan_jobs (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('create', 'version')),
  -- The plan re-optimised (kind 'version'), or the plan created once done (kind 'create').
  plan_id       bigint REFERENCES plans (id) ON DELETE CASCADE,
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  days_total    integer NOT NULL CHECK (days_total >= 0),
  days_done     integer NOT NULL DEFAULT 0 CHECK (days_done >= 0),
  -- The response the synchronous call would have given (status and body), once done or failed.
  result        jsonb,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX plan_jobs_running_idx ON plan_jobs (heartbeat_at) WHERE status = 'running';

-- Down Migration

DROP TABLE plan_jobs;
