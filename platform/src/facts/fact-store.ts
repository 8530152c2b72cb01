import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { CollectedOutput } from './collect-output.js';
import type { CollectionFact, Evidence, FuelEvent, Stop, Trip, Unloading } from './types.js';

/** Where detected trips, stops, facts, unloadings and fuel events are kept. */
export interface FactStore {
  saveStops(stops: readonly Stop[]): Promise<void>;
  saveTrips(trips: readonly Trip[]): Promise<void>;
  /** Inserts new facts and replaces stored ones with the same id (more evidence came). */
  saveFacts(facts: readonly CollectionFact[]): Promise<void>;
  saveUnloadings(unloadings: readonly Unloading[]): Promise<void>;
  saveFuelEvents(events: readonly FuelEvent[]): Promise<void>;
  listFacts(fromMs: number, toMs: number, vehicleId?: string): Promise<CollectionFact[]>;
  listFuelEvents(fromMs: number, toMs: number, vehicleId?: string): Promise<FuelEvent[]>;
}

const SCHEMA_FILE = new URL('../../migrations/1764460800000_collection-facts.sql', import.meta.url);

/** Creates the tables when missing (the platform migration's own file; it is idempotent). */
export async function applyFactSchema(db: pg.Pool): Promise<void> {
  await db.query(await readFile(SCHEMA_FILE, 'utf8'));
}

// Rows travel as one jsonb array per statement: one round trip whatever the batch size, and
// jsonb_to_recordset gives every column its SQL type. Times go as ms since the epoch.
const T = (column: string): string => `'epoch'::timestamptz + r.${column} * interval '1 millisecond'`;

const UPSERT_STOPS = `
INSERT INTO vehicle_stops (vehicle_id, start_time, end_time, lon, lat, fix_count, ignition_off_s, truncated,
                           fuel_start_l, fuel_end_l)
SELECT r.vehicle_id, ${T('start_ms')}, ${T('end_ms')}, r.lon, r.lat, r.fix_count, r.ignition_off_s, r.truncated,
       r.fuel_start_l, r.fuel_end_l
FROM jsonb_to_recordset($1::jsonb) AS r(vehicle_id text, start_ms float8, end_ms float8, lon float8, lat float8,
     fix_count int, ignition_off_s real, truncated bool, fuel_start_l real, fuel_end_l real)
ON CONFLICT (vehicle_id, start_time) DO UPDATE SET
  end_time = EXCLUDED.end_time, lon = EXCLUDED.lon, lat = EXCLUDED.lat, fix_count = EXCLUDED.fix_count,
  ignition_off_s = EXCLUDED.ignition_off_s, truncated = EXCLUDED.truncated,
  fuel_start_l = EXCLUDED.fuel_start_l, fuel_end_l = EXCLUDED.fuel_end_l`;

const UPSERT_TRIPS = `
INSERT INTO vehicle_trips (vehicle_id, start_time, end_time, from_lon, from_lat, to_lon, to_lat, distance_m,
                           max_speed_kmh, loaded, truncated, fuel_used_l, fuel_expected_l, norm_l_per_100km)
SELECT r.vehicle_id, ${T('start_ms')}, ${T('end_ms')}, r.from_lon, r.from_lat, r.to_lon, r.to_lat, r.distance_m,
       r.max_speed_kmh, r.loaded, r.truncated, r.fuel_used_l, r.fuel_expected_l, r.norm_l_per_100km
FROM jsonb_to_recordset($1::jsonb) AS r(vehicle_id text, start_ms float8, end_ms float8, from_lon float8,
     from_lat float8, to_lon float8, to_lat float8, distance_m real, max_speed_kmh real, loaded bool,
     truncated bool, fuel_used_l real, fuel_expected_l real, norm_l_per_100km real)
ON CONFLICT (vehicle_id, start_time) DO UPDATE SET
  end_time = EXCLUDED.end_time, to_lon = EXCLUDED.to_lon, to_lat = EXCLUDED.to_lat,
  distance_m = EXCLUDED.distance_m, max_speed_kmh = EXCLUDED.max_speed_kmh, loaded = EXCLUDED.loaded,
  truncated = EXCLUDED.truncated, fuel_used_l = EXCLUDED.fuel_used_l,
  fuel_expected_l = EXCLUDED.fuel_expected_l, norm_l_per_100km = EXCLUDED.norm_l_per_100km`;

const UPSERT_FACTS = `
INSERT INTO collection_facts (id, vehicle_id, site_id, arrival_time, departure_time, lon, lat, lift_count,
                              rfid_tags, lift_weight_kg, container_count, confidence, needs_review, evidence)
SELECT r.id, r.vehicle_id, r.site_id, ${T('arrival_ms')}, ${T('departure_ms')}, r.lon, r.lat, r.lift_count,
       ARRAY(SELECT jsonb_array_elements_text(r.rfid_tags)), r.lift_weight_kg, r.container_count, r.confidence,
       r.needs_review, r.evidence
FROM jsonb_to_recordset($1::jsonb) AS r(id text, vehicle_id text, site_id text, arrival_ms float8,
     departure_ms float8, lon float8, lat float8, lift_count int, rfid_tags jsonb, lift_weight_kg real,
     container_count int, confidence numeric, needs_review bool, evidence jsonb)
ON CONFLICT (id) DO UPDATE SET
  departure_time = EXCLUDED.departure_time, lift_count = EXCLUDED.lift_count, rfid_tags = EXCLUDED.rfid_tags,
  lift_weight_kg = EXCLUDED.lift_weight_kg, container_count = EXCLUDED.container_count,
  confidence = EXCLUDED.confidence, needs_review = EXCLUDED.needs_review, evidence = EXCLUDED.evidence,
  updated_at = now()`;

const UPSERT_UNLOADINGS = `
INSERT INTO facility_unloadings (id, vehicle_id, facility_id, arrival_time, departure_time, lon, lat, net_kg, ticket_id)
SELECT r.id, r.vehicle_id, r.facility_id, ${T('arrival_ms')}, ${T('departure_ms')}, r.lon, r.lat, r.net_kg, r.ticket_id
FROM jsonb_to_recordset($1::jsonb) AS r(id text, vehicle_id text, facility_id text, arrival_ms float8,
     departure_ms float8, lon float8, lat float8, net_kg numeric, ticket_id text)
ON CONFLICT (id) DO UPDATE SET
  departure_time = EXCLUDED.departure_time,
  -- The worker's replay knows no tickets: a mass merged from a stored ticket (evidence-merge.ts) stays.
  net_kg = coalesce(EXCLUDED.net_kg, facility_unloadings.net_kg),
  ticket_id = coalesce(EXCLUDED.ticket_id, facility_unloadings.ticket_id)`;

const UPSERT_FUEL = `
INSERT INTO fuel_events (id, vehicle_id, kind, start_time, end_time, litres, level_before_l, level_after_l,
                         lon, lat, seen, ignition_off)
SELECT r.id, r.vehicle_id, r.kind, ${T('start_ms')}, ${T('end_ms')}, r.litres, r.level_before_l, r.level_after_l,
       r.lon, r.lat, r.seen, r.ignition_off
FROM jsonb_to_recordset($1::jsonb) AS r(id text, vehicle_id text, kind text, start_ms float8, end_ms float8,
     litres real, level_before_l real, level_after_l real, lon float8, lat float8, seen text, ignition_off bool)
ON CONFLICT (id) DO UPDATE SET
  end_time = EXCLUDED.end_time, litres = EXCLUDED.litres, level_after_l = EXCLUDED.level_after_l`;

const MS = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** FactStore on PostgreSQL (tables of the collection-facts migration). Every save is one idempotent upsert statement. */
export class PgFactStore implements FactStore {
  constructor(private readonly db: pg.Pool) {}

  async saveStops(stops: readonly Stop[]): Promise<void> {
    if (stops.length === 0) return;
    const rows = stops.map((s) => ({
      vehicle_id: s.vehicleId,
      start_ms: s.startMs,
      end_ms: s.endMs,
      lon: s.lon,
      lat: s.lat,
      fix_count: s.fixCount,
      ignition_off_s: s.ignitionOffMs / 1000,
      truncated: s.truncated,
      fuel_start_l: s.fuelStartL ?? null,
      fuel_end_l: s.fuelEndL ?? null,
    }));
    await this.db.query(UPSERT_STOPS, [JSON.stringify(rows)]);
  }

  async saveTrips(trips: readonly Trip[]): Promise<void> {
    if (trips.length === 0) return;
    const rows = trips.map((t) => ({
      vehicle_id: t.vehicleId,
      start_ms: t.startMs,
      end_ms: t.endMs,
      from_lon: t.fromLon,
      from_lat: t.fromLat,
      to_lon: t.toLon,
      to_lat: t.toLat,
      distance_m: t.distanceM,
      max_speed_kmh: t.maxSpeedKmh,
      loaded: t.loaded,
      truncated: t.truncated,
      fuel_used_l: t.fuel?.usedL ?? null,
      fuel_expected_l: t.fuel?.expectedL ?? null,
      norm_l_per_100km: t.fuel?.normLPer100Km ?? null,
    }));
    await this.db.query(UPSERT_TRIPS, [JSON.stringify(rows)]);
  }

  async saveFacts(facts: readonly CollectionFact[]): Promise<void> {
    if (facts.length === 0) return;
    const rows = facts.map((f) => ({
      id: f.id,
      vehicle_id: f.vehicleId,
      site_id: f.siteId,
      arrival_ms: f.arrivalMs,
      departure_ms: f.departureMs,
      lon: f.lon,
      lat: f.lat,
      lift_count: f.liftCount,
      rfid_tags: f.rfidTags,
      lift_weight_kg: f.liftWeightKg,
      container_count: f.containerCount,
      confidence: f.confidence,
      needs_review: f.needsReview,
      evidence: f.evidence,
    }));
    await this.db.query(UPSERT_FACTS, [JSON.stringify(rows)]);
  }

  async saveUnloadings(unloadings: readonly Unloading[]): Promise<void> {
    if (unloadings.length === 0) return;
    const rows = unloadings.map((u) => ({
      id: u.id,
      vehicle_id: u.vehicleId,
      facility_id: u.facilityId,
      arrival_ms: u.arrivalMs,
      departure_ms: u.departureMs,
      lon: u.lon,
      lat: u.lat,
      net_kg: u.netKg ?? null,
      ticket_id: u.ticketId ?? null,
    }));
    await this.db.query(UPSERT_UNLOADINGS, [JSON.stringify(rows)]);
  }

  async saveFuelEvents(events: readonly FuelEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({
      id: e.id,
      vehicle_id: e.vehicleId,
      kind: e.kind,
      start_ms: e.startMs,
      end_ms: e.endMs,
      litres: e.litres,
      level_before_l: e.levelBeforeL,
      level_after_l: e.levelAfterL,
      lon: e.lon,
      lat: e.lat,
      seen: e.seen,
      ignition_off: e.ignitionOff,
    }));
    await this.db.query(UPSERT_FUEL, [JSON.stringify(rows)]);
  }

  /** Everything one detection run produced. */
  async saveAll(output: CollectedOutput): Promise<void> {
    await this.saveStops(output.stops);
    await this.saveTrips(output.trips);
    await this.saveFacts(output.facts);
    await this.saveUnloadings(output.unloadings);
    await this.saveFuelEvents(output.fuelEvents);
  }

  async listFacts(fromMs: number, toMs: number, vehicleId?: string): Promise<CollectionFact[]> {
    const result = await this.db.query<{
      id: string;
      vehicle_id: string;
      site_id: string;
      arrival_ms: number;
      departure_ms: number;
      lon: number;
      lat: number;
      lift_count: number;
      rfid_tags: string[];
      lift_weight_kg: number;
      container_count: number;
      confidence: string;
      needs_review: boolean;
      evidence: Evidence[];
    }>(
      `SELECT id, vehicle_id, site_id, ${MS('arrival_time')} AS arrival_ms, ${MS('departure_time')} AS departure_ms,
              lon, lat, lift_count, rfid_tags, lift_weight_kg, container_count, confidence, needs_review, evidence
       FROM collection_facts
       WHERE arrival_time >= 'epoch'::timestamptz + $1 * interval '1 millisecond'
         AND arrival_time < 'epoch'::timestamptz + $2 * interval '1 millisecond'
         AND ($3::text IS NULL OR vehicle_id = $3)
       ORDER BY vehicle_id, arrival_time`,
      [fromMs, toMs, vehicleId ?? null],
    );
    return result.rows.map((r) => ({
      id: r.id,
      vehicleId: r.vehicle_id,
      siteId: r.site_id,
      arrivalMs: Math.round(r.arrival_ms),
      departureMs: Math.round(r.departure_ms),
      lon: r.lon,
      lat: r.lat,
      liftCount: r.lift_count,
      rfidTags: r.rfid_tags,
      liftWeightKg: r.lift_weight_kg,
      containerCount: r.container_count,
      confidence: Number(r.confidence),
      needsReview: r.needs_review,
      evidence: r.evidence,
    }));
  }

  async listFuelEvents(fromMs: number, toMs: number, vehicleId?: string): Promise<FuelEvent[]> {
    const result = await this.db.query<{
      id: string;
      vehicle_id: string;
      kind: 'refuel' | 'drain';
      start_ms: number;
      end_ms: number;
      litres: number;
      level_before_l: number;
      level_after_l: number;
      lon: number;
      lat: number;
      seen: 'stop' | 'gap';
      ignition_off: boolean;
    }>(
      `SELECT id, vehicle_id, kind, ${MS('start_time')} AS start_ms, ${MS('end_time')} AS end_ms, litres,
              level_before_l, level_after_l, lon, lat, seen, ignition_off
       FROM fuel_events
       WHERE start_time >= 'epoch'::timestamptz + $1 * interval '1 millisecond'
         AND start_time < 'epoch'::timestamptz + $2 * interval '1 millisecond'
         AND ($3::text IS NULL OR vehicle_id = $3)
       ORDER BY vehicle_id, start_time`,
      [fromMs, toMs, vehicleId ?? null],
    );
    return result.rows.map((r) => ({
      id: r.id,
      vehicleId: r.vehicle_id,
      kind: r.kind,
      startMs: Math.round(r.start_ms),
      endMs: Math.round(r.end_ms),
      litres: r.litres,
      levelBeforeL: r.level_before_l,
      levelAfterL: r.level_after_l,
      lon: r.lon,
      lat: r.lat,
      seen: r.seen,
      ignitionOff: r.ignition_off,
    }));
  }
}
