/**
 * Our JSON input of the collection-round optimizer (POST /optimize): a day's fleet, container sites,
 * disposal facilities and fuel stations in the units dispatchers use — ISO-8601 timestamps, [lon, lat],
 * containers as count × volume × expected fill, fuel in litres per 100 km. `plan-request-to-problem.ts`
 * turns it into the solver's PlanProblem.
 */
import { z } from 'zod';
import { collectionScheduleSchema } from '../plans/collection-schedule.js';

/** ISO-8601 with `Z` or an offset; converted to UTC. */
export const isoTime = z.iso.datetime({ offset: true });
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const id = z.string().min(1).max(128);
const nonNegative = z.number().finite().nonnegative();
const positive = z.number().finite().positive();

export const timeWindowSchema = z.object({ from: isoTime, to: isoTime }).strict();

const containerSchema = z
  .object({
    count: z.number().int().min(1).max(1000),
    /** Volume of one container (m³): euro 1.1, 0.75, bunker 8 … */
    volume_m3: positive.max(60),
    /** Expected fill at collection, share of the volume (default 1). */
    fill: z.number().min(0).max(1.5).default(1),
  })
  .strict();

export const siteSchema = z
  .object({
    id,
    name: z.string().max(300).optional(),
    location: lonLat,
    containers: z.array(containerSchema).min(1),
    /** Waste type for facility acceptance (`msw`, `bulky`, `recyclables` …); empty = any facility. */
    waste_type: z.string().max(64).default(''),
    /** Density of the loose waste (kg/m³); default from `defaults`. */
    density_kg_m3: positive.max(2000).optional(),
    /** Seconds per container (lift, empty, return); default from `defaults`. */
    service_s_per_container: nonNegative.max(3600).optional(),
    /** Start-of-service windows (any one); none = any time. */
    windows: z.array(timeWindowSchema).default([]),
    skills: z.array(z.string().min(1).max(64)).default([]),
    priority: z.number().int().min(0).max(100).default(0),
    /** The trip serving the site may not leave before this time (e.g. a one-off request arriving mid-day). */
    release_at: isoTime.optional(),
    /** Only these vehicles (ids) may serve the site. */
    allowed_vehicles: z.array(id).optional(),
    /** Collection schedule, read by /plans only (which days the site is served). */
    schedule: collectionScheduleSchema.optional(),
  })
  .strict();

const breakSchema = z
  .object({
    duration_s: nonNegative.max(24 * 3600),
    /** The break starts within [earliest, latest]; the driver takes it at the first chance. */
    earliest: isoTime,
    latest: isoTime,
  })
  .strict();

const fuelSchema = z
  .object({
    tank_l: positive.max(2000),
    level_l: nonNegative.max(2000),
    reserve_l: nonNegative.max(2000).default(0),
    consumption_l_per_100km: z.object({ empty: nonNegative.max(500), loaded: nonNegative.max(500) }).strict(),
    /** Engine running while lifting and unloading. */
    idle_l_per_hour: nonNegative.max(100).default(0),
  })
  .strict();

export const vehicleSchema = z
  .object({
    id,
    carrier_id: id.optional(),
    plate: z.string().max(32).optional(),
    start: lonLat,
    /** Default: back to `start`. */
    end: lonLat.optional(),
    shift: timeWindowSchema,
    breaks: z.array(breakSchema).default([]),
    body: z
      .object({
        /** Body volume (m³ of compacted waste). */
        volume_m3: positive.max(200),
        /** Loose m³ that fit in one compacted m³ (rear loaders 3–6, roll-off 1). */
        compaction_ratio: z.number().min(1).max(20).default(1),
        max_payload_kg: positive.max(100_000).optional(),
      })
      .strict(),
    /** The gateway's device id of the truck's tracker (for `options.live_state`). */
    tracker_device_id: z.string().min(1).max(64).optional(),
    /** Already in the body (mid-day re-planning). */
    initial_load: z
      .object({ volume_m3: nonNegative.default(0), kg: nonNegative.default(0) })
      .strict()
      .optional(),
    /** `rear-loader`, `side-loader`, `front-loader`, `roll-off`, `crane` … */
    skills: z.array(z.string().min(1).max(64)).default([]),
    fuel: fuelSchema.optional(),
    costs: z
      .object({
        fixed: nonNegative.default(0),
        per_km: nonNegative.default(0),
        per_hour: nonNegative.default(0),
        /** Price of fuel bought on the road (RUB/L), for the report. */
        fuel_per_l: nonNegative.optional(),
      })
      .strict()
      .optional(),
    max_jobs: z.number().int().min(0).optional(),
    /** Compacted m³ collected over the shift (all trips), in this body's m³. */
    max_shift_volume_m3: nonNegative.optional(),
    max_shift_hours: positive.max(48).optional(),
    /** Longest distance driven in the shift (e.g. a hired truck's daily mileage limit). */
    max_distance_km: positive.max(5000).optional(),
    /** Longest time at the wheel in the shift (driving-time rules); service and waiting not counted. */
    max_driving_hours: positive.max(24).optional(),
    /** Unload at a facility before returning (default true: trucks do not park loaded). */
    must_end_empty: z.boolean().default(true),
    /**
     * Mid-day re-planning: stops the truck is committed to (driving to, in progress), in order; they stay
     * first. `site`, `facility` and `fuel_station` name ids of this request.
     */
    committed_stops: z
      .array(z.object({ kind: z.enum(['site', 'facility', 'fuel_station']), id }).strict())
      .max(50)
      .default([]),
  })
  .strict();

export const facilitySchema = z
  .object({
    id,
    name: z.string().max(300).optional(),
    kind: z.enum(['landfill', 'transfer', 'sorting']),
    location: lonLat,
    hours: z.array(timeWindowSchema).default([]),
    /** Weighing and tipping (s). */
    service_s: nonNegative.max(24 * 3600).default(900),
    /** Waste types accepted; none = all. */
    accepts: z.array(z.string().min(1).max(64)).default([]),
  })
  .strict();

export const fuelStationSchema = z
  .object({
    id,
    name: z.string().max(300).optional(),
    /** The fleet's own fuel point, or a public station from OpenStreetMap (`amenity=fuel`). */
    source: z.enum(['fleet', 'osm']).default('fleet'),
    osm_id: z.number().int().optional(),
    location: lonLat,
    hours: z.array(timeWindowSchema).default([]),
    service_s: nonNegative.max(3600).default(300),
    seconds_per_litre: nonNegative.max(60).default(2),
  })
  .strict();

export const optimizeOptionsSchema = z
  .object({
    /** Solver time limit (s); the server caps it. */
    time_limit_s: z.number().positive().max(3600).default(10),
    seed: z.number().int().min(0).default(1),
    /** Width of a traffic slot of the travel-time matrix (minutes). */
    slot_minutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    /** Time-dependent travel times (one table per slot); false = one free-flow table. */
    traffic: z.boolean().default(true),
    /** Route geometry per vehicle (GeoJSON LineString). */
    geometry: z.boolean().default(true),
    /**
     * Mid-day re-planning from the trucks' live state: a vehicle with `tracker_device_id` starts at its
     * tracker's latest position and fuel level (fixes of the last `live_max_age_min` minutes).
     */
    live_state: z.boolean().default(false),
    live_max_age_min: z
      .number()
      .positive()
      .max(24 * 60)
      .default(30),
  })
  .strict();

export const planRequestSchema = z
  .object({
    vehicles: z.array(vehicleSchema).min(1).max(500),
    sites: z.array(siteSchema).max(5000),
    facilities: z.array(facilitySchema).default([]),
    fuel_stations: z.array(fuelStationSchema).default([]),
    defaults: z
      .object({
        density_kg_m3: positive.max(2000).default(110),
        service_s_per_container: nonNegative.max(3600).default(45),
      })
      .strict()
      .default({ density_kg_m3: 110, service_s_per_container: 45 }),
    objective: z.enum(['cost', 'distance', 'vehicles-then-distance']).default('cost'),
    /** Cost of leaving a site of priority 0 unserved (default: serving always wins). */
    unassigned_penalty: positive.optional(),
    options: optimizeOptionsSchema.default({
      time_limit_s: 10,
      seed: 1,
      slot_minutes: 60,
      traffic: true,
      geometry: true,
      live_state: false,
      live_max_age_min: 30,
    }),
  })
  .strict();

export type PlanRequest = z.infer<typeof planRequestSchema>;
export type PlanRequestInput = z.input<typeof planRequestSchema>;
export type SiteInput = z.infer<typeof siteSchema>;
export type VehicleInput = z.infer<typeof vehicleSchema>;
