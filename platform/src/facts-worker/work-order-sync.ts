/**
 * The routing service's published work orders (наряды) become the platform's planned visits, so plan
 * against actual, live alerts and settlement deductions work from what dispatchers published. For
 * yesterday…tomorrow (operator's time zone) the newest published order of each vehicle and day counts;
 * each of its site stops is a visit whose window is the planned start ± WINDOW_MINUTES, clipped to the
 * day. Idempotent (work_order_ref `wo:<order>:<stop>`): visits of orders superseded by a newer
 * publication are removed unless a dispute refers to them. Stops naming sites, carriers or vehicles the
 * registry does not know are skipped (plans made from other data).
 */
import type { Database } from '../db/pool.js';

/** Tolerance around the planned start of service for a visit to count as on time. */
export const WINDOW_MINUTES = 60;

const SYNC = `
WITH zone AS (SELECT coalesce((SELECT time_zone FROM operator_profile WHERE id = 1), 'Europe/Moscow') AS tz),
today AS (SELECT (to_timestamp($1::float8 / 1000) AT TIME ZONE zone.tz)::date AS d, zone.tz FROM zone),
newest AS (
  SELECT DISTINCT ON (w.vehicle_id, w.date) w.id, w.carrier_id, w.vehicle_id, w.date, w.stops
  FROM work_orders w, today
  WHERE w.status = 'published' AND w.date BETWEEN today.d - 1 AND today.d + 1
  ORDER BY w.vehicle_id, w.date, w.published_at DESC, w.id DESC
),
stops AS (
  SELECT n.id AS order_id, n.carrier_id, n.vehicle_id, n.date, s.ordinality - 1 AS idx,
         s.value ->> 'site_id' AS site_id,
         ((s.value ->> 'begin')::timestamptz AT TIME ZONE today.tz) AS local_begin
  FROM newest n, today, jsonb_array_elements(n.stops) WITH ORDINALITY AS s
  WHERE s.value ->> 'type' = 'site'
),
wanted AS (
  SELECT 'wo:' || st.order_id || ':' || st.idx AS ref, si.id AS site_id, st.date AS visit_date,
         to_char(greatest(st.local_begin - make_interval(mins => $2), st.date::timestamp), 'HH24:MI') AS window_from,
         to_char(least(st.local_begin + make_interval(mins => $2), st.date::timestamp + interval '23 hours 59 minutes'),
                 'HH24:MI') AS window_to,
         c.id AS carrier_id, v.id AS vehicle_id
  FROM stops st
  JOIN sites si ON si.id::text = st.site_id
  JOIN carriers c ON c.id::text = st.carrier_id
  LEFT JOIN vehicles v ON v.id::text = st.vehicle_id
),
removed AS (
  DELETE FROM planned_visits p
  USING today
  WHERE p.work_order_ref LIKE 'wo:%' AND p.visit_date BETWEEN today.d - 1 AND today.d + 1
    AND p.work_order_ref NOT IN (SELECT ref FROM wanted)
    AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.planned_visit_id = p.id)
  RETURNING 1
),
added AS (
  INSERT INTO planned_visits (site_id, visit_date, window_from, window_to, carrier_id, vehicle_id, work_order_ref)
  SELECT w.site_id, w.visit_date, w.window_from, w.window_to, w.carrier_id, w.vehicle_id, w.ref
  FROM wanted w
  WHERE NOT EXISTS (SELECT 1 FROM planned_visits p WHERE p.work_order_ref = w.ref)
  RETURNING 1
)
SELECT (SELECT count(*) FROM added)::int AS added, (SELECT count(*) FROM removed)::int AS removed`;

/** Brings planned visits in line with the published work orders; a no-op without the routing tables. */
export async function syncPlannedVisits(
  db: Database,
  nowMs: number,
): Promise<{ added: number; removed: number }> {
  const exists = await db.query<{ ok: boolean }>(`SELECT to_regclass('work_orders') IS NOT NULL AS ok`);
  if (!exists.rows[0]!.ok) return { added: 0, removed: 0 };
  const result = await db.query<{ added: number; removed: number }>(SYNC, [nowMs, WINDOW_MINUTES]);
  return result.rows[0]!;
}
