-- Up Migration

-- Failed password logins (brute-force protection, platform/src/auth/login-throttle.ts). One row per
-- attempt, kept for the throttle window: a sliding window over rows works the same on every platform
-- instance and survives restarts. `key` is `login:` + SHA-256 of the lower-cased login (people type
-- passwords into the login field; those are never stored) or `ip:` + the client address.
CREATE TABLE login_failures (
  id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key   text NOT NULL,
  at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);
CREATE INDEX login_failures_at_idx ON login_failures (at);

-- Down Migration

DROP TABLE login_failures;
