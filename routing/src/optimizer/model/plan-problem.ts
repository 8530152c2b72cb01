/**
 * The collection-round model of the optimizer (issue #4): vehicles with shifts, breaks, multi-dimensional
 * capacity and a fuel tank; container-site jobs; disposal facilities (landfills, transfer stations) and
 * fuel stations. Everything is indexed into one travel matrix of `locationCount` locations.
 *
 * Units: time in seconds from the plan's `epoch` (UTC; the API converts ISO timestamps), distance in metres
 * (benchmarks use their own unit), amounts in the dimensions of `capacity` (e.g. [m³ compacted, kg]),
 * fuel in litres. Windows are [open, close] for the *start* of service; waiting is allowed.
 */

export type TimeWindow = readonly [open: number, close: number];

/** Travel between locations. `durationSlots` makes travel time depend on the departure time (traffic). */
export interface TravelMatrix {
  locationCount: number;
  /** Row-major locationCount² (metres). */
  distance: Float64Array;
  /** Row-major locationCount² (seconds), used when no slot applies. */
  duration: Float64Array;
  /**
   * Time-dependent durations: `matrices[k]` holds for departures in [k·slotSeconds, (k+1)·slotSeconds)
   * after the epoch; departures beyond the last slot use the last one.
   */
  durationSlots?: { slotSeconds: number; matrices: Float64Array[] };
}

export interface BreakRule {
  /** Break length (s). */
  duration: number;
  /** The break must start within [earliestStart, latestStart]; the driver takes it at the first chance. */
  earliestStart: number;
  latestStart: number;
}

export interface FuelSpec {
  tankL: number;
  /** Litres in the tank at the start (live state for mid-day plans). */
  initialL: number;
  /** The level must never fall below this (litres). */
  reserveL: number;
  /** Litres per metre driven (empty and full body; the solver plans with `loaded`, the report interpolates). */
  perMetreEmpty: number;
  perMetreLoaded: number;
  /** Litres per second stopped with the engine running (lifting, unloading). */
  idlePerSecond: number;
}

export interface VehicleCosts {
  /** Per used vehicle. */
  fixed: number;
  perMetre: number;
  perSecond: number;
  /** Price of fuel bought on the road (per litre), for reports; not part of the objective. */
  fuelPerL?: number;
}

export interface PlanVehicle {
  id: string;
  /** Location index where the shift starts (depot or, mid-day, the truck's live position). */
  start: number;
  /** Location index where the shift ends (depot). */
  end: number;
  shift: TimeWindow;
  breaks: BreakRule[];
  /** Per trip (between unloads), per dimension. */
  capacity: number[];
  /** Amount already in the body (live state); empty at the depot in the morning. */
  initialLoad: number[];
  skills: string[];
  fuel: FuelSpec | null;
  costs: VehicleCosts;
  /** Most jobs per shift (Kim: stops per day); Infinity when unlimited. */
  maxJobs: number;
  /** Most amount collected per shift over all trips, dimension 0 (Kim: route capacity). */
  maxShiftLoad: number;
  /** Must unload at a disposal facility before returning to the end location. */
  mustEndEmpty: boolean;
  /** Longest shift from departure to return (s). */
  maxDuration: number;
  /** Longest distance driven in the shift (m); absent = unlimited (VROOM `max_distance`). */
  maxDistance?: number;
  /** Longest time at the wheel in the shift (s), service, waiting and breaks not counted (VROOM `max_travel_time`). */
  maxTravelTime?: number;
  /**
   * Re-optimisation during the day: stops the truck is committed to (next stop, in progress), served
   * first and in this order; stops already done are not part of the problem (the truck's live position,
   * load and fuel are its `start`, `initialLoad` and `fuel.initialL`).
   */
  fixedStops: RouteStop[];
}

export interface PlanJob {
  id: string;
  location: number;
  /** Amount collected, per capacity dimension. */
  amount: number[];
  /** Service time on site (s): containers × per-container time, computed by the caller. */
  service: number;
  /** Allowed start-of-service windows (any one); empty = any time. */
  windows: TimeWindow[];
  skills: string[];
  /** Higher is more important; unassigned jobs cost `unassignedPenalty × (1 + priority)`. */
  priority: number;
  /** Waste type for facility acceptance ('' = any facility). */
  wasteType: string;
  /**
   * Multi-trip release: the trip serving this job may not leave its start (depot or facility) before
   * this time (MTVRPTWR); 0 = none.
   */
  release: number;
  /** Vehicles that may serve this job (by vehicle index); undefined = all with the skills. */
  allowedVehicles?: number[];
}

export type FacilityKind = 'disposal' | 'fuel';

export interface PlanFacility {
  id: string;
  kind: FacilityKind;
  location: number;
  /** Opening hours for the start of service; empty = always open. */
  hours: TimeWindow[];
  /** Fixed time per visit (unloading; refuelling approach and payment). */
  service: number;
  /** Fuel: seconds per litre refilled (the stop takes service + perLitre × litres). */
  secondsPerLitre: number;
  /** Disposal: waste types accepted (empty = all). */
  accepts: string[];
}

export type PlanObjective = 'cost' | 'distance' | 'vehicles-then-distance';

export interface PlanProblem {
  travel: TravelMatrix;
  vehicles: PlanVehicle[];
  jobs: PlanJob[];
  facilities: PlanFacility[];
  objective: PlanObjective;
  /** Cost of leaving a job of priority 0 unserved (default: large enough that serving always wins). */
  unassignedPenalty?: number;
}

/** A route: job and facility stops between the vehicle's start and end (indices into jobs/facilities). */
export type RouteStop = { kind: 'job'; index: number } | { kind: 'facility'; index: number };

/** Why a job is left out of the plan (shown to dispatchers in Russian by the API layer). */
export type UnassignedReason =
  | 'skills' // no vehicle has the required skills
  | 'unreachable' // no truck road from any allowed vehicle's start to it, or from it to the end
  | 'capacity' // the job alone exceeds every allowed vehicle's capacity
  | 'time-window' // no vehicle can reach it within its windows and its shift
  | 'fuel' // unreachable within the fuel range, refuelling included
  | 'facility' // no disposal facility accepts its waste type
  | 'route-limit' // beyond every vehicle's longest distance or driving time per shift
  | 'fleet'; // each job fits alone, but the fleet has no room left for it

export interface ScheduledStop {
  kind: 'start' | 'job' | 'facility' | 'break' | 'end';
  /** Job or facility index; -1 for start, break and end. */
  index: number;
  location: number;
  arrival: number;
  /** Start of service (after waiting for the window). */
  begin: number;
  departure: number;
  /** Amount in the body after the stop, per dimension. */
  load: number[];
  /** Litres in the tank after the stop (refuel included); null without a fuel model. */
  fuelL: number | null;
  /** Litres bought at a fuel stop. */
  refuelL: number;
  /** Distance from the previous stop. */
  distance: number;
}

export interface VehicleRoute {
  vehicle: number;
  stops: ScheduledStop[];
  distance: number;
  /** From departure to return (s). */
  duration: number;
  waiting: number;
  fuelUsedL: number;
  cost: number;
}

export interface PlanSolution {
  /** Only vehicles that leave the depot. */
  routes: VehicleRoute[];
  unassigned: { job: number; reason: UnassignedReason }[];
  /** Sum of route costs under the problem's objective (distance for 'distance'). */
  cost: number;
  distance: number;
}
