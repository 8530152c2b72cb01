/**
 * An independent feasibility check of a plan: it takes only the problem and each route's sequence of
 * job and facility stops, drives every vehicle through it again with its own clock, load and tank,
 * and lists every rule the plan breaks. The solution's reported times are never used to decide
 * feasibility; its reported figures (distance, duration, fuel, cost, service starts) are compared with
 * the recomputation, so a solver whose own bookkeeping drifts is caught too.
 *
 * Schedule rules (the same ones the model documents): the vehicle leaves its start at the shift's
 * opening, or later when the first trip's jobs are released later; a trip (from the start or a disposal
 * stop to the next disposal stop) may not leave before the latest release of its jobs; waiting for a
 * window is allowed; a break is taken at the first chance once its earliest start has come — before
 * a drive, at its opening during a drive (the drive resumes after it) or during a wait — and must start
 * by its latest start. A break whose window has not opened when the vehicle is back is not owed, and a
 * plan in which the vehicle is back before a break's latest start may leave it for after the shift.
 */
import type {
  PlanProblem,
  PlanSolution,
  PlanVehicle,
  RouteStop,
  TimeWindow,
  VehicleRoute,
} from './plan-problem.js';

export interface PlanCheck {
  feasible: boolean;
  /** One line per broken rule, prefixed by its kind (`capacity: …`, `time-window: …`). */
  violations: string[];
}

export interface CheckPlanOptions {
  /** Slack for reported figures: |reported − recomputed| ≤ absolute + relative × |recomputed|. */
  absoluteTolerance?: number;
  relativeTolerance?: number;
  /** Slack for times and amounts in the rules themselves (floating-point sums). */
  epsilon?: number;
}

/** What one drive through a route gives: the rules it broke and the figures it measured. */
interface Drive {
  violations: string[];
  distance: number;
  duration: number;
  fuelUsedL: number;
  returnTime: number;
  /** Start of service per job/facility stop, in sequence order. */
  begins: number[];
}

export function checkPlan(
  problem: PlanProblem,
  solution: PlanSolution,
  options: CheckPlanOptions = {},
): PlanCheck {
  const tolerance = {
    absolute: options.absoluteTolerance ?? 1e-3,
    relative: options.relativeTolerance ?? 1e-6,
    epsilon: options.epsilon ?? 1e-6,
  };
  const violations: string[] = [];
  violations.push(...checkCoverage(problem, solution));
  let totalDistance = 0;
  let totalCost = 0;
  const seenVehicles = new Set<number>();
  for (const route of solution.routes) {
    const vehicle = problem.vehicles[route.vehicle];
    if (!vehicle) {
      violations.push(`structure: a route names vehicle ${route.vehicle}, which does not exist`);
      continue;
    }
    if (seenVehicles.has(route.vehicle)) {
      violations.push(`structure: vehicle ${vehicle.id} has more than one route`);
    }
    seenVehicles.add(route.vehicle);
    const label = `vehicle ${vehicle.id}`;
    const sequence = stopSequence(problem, route, label, violations);
    if (sequence === null) continue;
    violations.push(...checkFixedStops(vehicle, sequence, label));
    violations.push(...checkEligibility(problem, route.vehicle, sequence, label));
    const drive = driveRoute(problem, route.vehicle, sequence, tolerance.epsilon);
    totalDistance += drive.distance;
    const cost = sequence.length === 0 ? 0 : routeCost(problem, vehicle, drive);
    totalCost += cost;
    violations.push(...drive.violations.map((v) => `${v} (${label})`));
    const close = (reported: number, actual: number): boolean =>
      Math.abs(reported - actual) <= tolerance.absolute + tolerance.relative * Math.abs(actual);
    const figures: [string, number, number][] = [
      ['distance', route.distance, drive.distance],
      ['duration', route.duration, drive.duration],
      ['fuelUsedL', route.fuelUsedL, drive.fuelUsedL],
      ['cost', route.cost, cost],
    ];
    for (const [name, reported, actual] of figures) {
      if (!close(reported, actual)) {
        violations.push(`reported: ${label} reports ${name} ${reported}, recomputed ${actual}`);
      }
    }
    const reportedBegins = route.stops.filter((s) => s.kind === 'job' || s.kind === 'facility');
    reportedBegins.forEach((stop, k) => {
      const actual = drive.begins[k];
      // A stop the recomputation could not reach has no time to compare against.
      if (actual !== undefined && Number.isFinite(actual) && !close(stop.begin, actual)) {
        violations.push(
          `schedule: ${label} reports stop ${k + 1} starting at ${stop.begin}, recomputed ${actual}`,
        );
      }
    });
  }
  const close = (reported: number, actual: number): boolean =>
    Math.abs(reported - actual) <= tolerance.absolute + tolerance.relative * Math.abs(actual);
  if (!close(solution.distance, totalDistance)) {
    violations.push(`reported: the plan reports distance ${solution.distance}, recomputed ${totalDistance}`);
  }
  if (!close(solution.cost, totalCost)) {
    violations.push(`reported: the plan reports cost ${solution.cost}, recomputed ${totalCost}`);
  }
  return { feasible: violations.length === 0, violations };
}

function routeCost(problem: PlanProblem, vehicle: PlanVehicle, drive: Drive): number {
  if (problem.objective !== 'cost') return drive.distance;
  const { fixed, perMetre, perSecond } = vehicle.costs;
  return fixed + perMetre * drive.distance + perSecond * drive.duration;
}

/** Every job served exactly once or listed unassigned, never both. */
function checkCoverage(problem: PlanProblem, solution: PlanSolution): string[] {
  const violations: string[] = [];
  const served = new Array<number>(problem.jobs.length).fill(0);
  const unassigned = new Array<number>(problem.jobs.length).fill(0);
  for (const route of solution.routes) {
    for (const stop of route.stops) {
      if (stop.kind === 'job' && stop.index >= 0 && stop.index < problem.jobs.length) served[stop.index]!++;
    }
  }
  for (const { job } of solution.unassigned) {
    if (job < 0 || job >= problem.jobs.length || !Number.isInteger(job)) {
      violations.push(`structure: unassigned job index ${job} does not exist`);
    } else unassigned[job]!++;
  }
  problem.jobs.forEach((job, j) => {
    const times = served[j]! + unassigned[j]!;
    if (served[j]! > 1) violations.push(`coverage: job ${job.id} is served ${served[j]} times`);
    else if (served[j] === 1 && unassigned[j]! > 0)
      violations.push(`coverage: job ${job.id} is both served and listed unassigned`);
    else if (times === 0) violations.push(`coverage: job ${job.id} is neither served nor listed unassigned`);
    else if (unassigned[j]! > 1) violations.push(`coverage: job ${job.id} is listed unassigned twice`);
  });
  return violations;
}

/** The route's job and facility stops in order; null (with a violation) when an index is invalid. */
function stopSequence(
  problem: PlanProblem,
  route: VehicleRoute,
  label: string,
  violations: string[],
): RouteStop[] | null {
  const sequence: RouteStop[] = [];
  for (const stop of route.stops) {
    if (stop.kind !== 'job' && stop.kind !== 'facility') continue;
    const size = stop.kind === 'job' ? problem.jobs.length : problem.facilities.length;
    if (!Number.isInteger(stop.index) || stop.index < 0 || stop.index >= size) {
      violations.push(
        `structure: ${label} has a ${stop.kind} stop with index ${stop.index}, which does not exist`,
      );
      return null;
    }
    sequence.push({ kind: stop.kind, index: stop.index });
  }
  return sequence;
}

function checkFixedStops(vehicle: PlanVehicle, sequence: RouteStop[], label: string): string[] {
  const fixed = vehicle.fixedStops;
  for (let k = 0; k < fixed.length; k++) {
    const want = fixed[k]!;
    const got = sequence[k];
    if (!got || got.kind !== want.kind || got.index !== want.index) {
      return [`fixed-stops: ${label} must serve its ${fixed.length} committed stops first and in order`];
    }
  }
  return [];
}

function checkEligibility(
  problem: PlanProblem,
  vehicleIndex: number,
  sequence: RouteStop[],
  label: string,
): string[] {
  const vehicle = problem.vehicles[vehicleIndex]!;
  const skills = new Set(vehicle.skills);
  const violations: string[] = [];
  for (const stop of sequence) {
    if (stop.kind !== 'job') continue;
    const job = problem.jobs[stop.index]!;
    const missing = job.skills.filter((s) => !skills.has(s));
    if (missing.length > 0) violations.push(`skills: job ${job.id} needs ${missing.join(', ')} (${label})`);
    if (job.allowedVehicles !== undefined && !job.allowedVehicles.includes(vehicleIndex)) {
      violations.push(`allowed-vehicles: job ${job.id} may not be served by ${label}`);
    }
  }
  return violations;
}

/** Travel time from `from` to `to` leaving at `departure`: the slot matrix in force, else the plain one. */
export function travelSeconds(problem: PlanProblem, from: number, to: number, departure: number): number {
  const { travel } = problem;
  const cell = from * travel.locationCount + to;
  const slots = travel.durationSlots;
  if (!slots || slots.matrices.length === 0) return travel.duration[cell]!;
  const slot = Math.min(slots.matrices.length - 1, Math.max(0, Math.floor(departure / slots.slotSeconds)));
  return slots.matrices[slot]![cell]!;
}

/** Earliest start of service at or after `arrival` within any window; Infinity when all have closed. */
function earliestBegin(windows: readonly TimeWindow[], arrival: number, epsilon: number): number {
  if (windows.length === 0) return arrival;
  let best = Infinity;
  for (const [open, close] of windows) {
    if (arrival <= close + epsilon) best = Math.min(best, Math.max(arrival, open));
  }
  return best;
}

function driveRoute(
  problem: PlanProblem,
  vehicleIndex: number,
  sequence: RouteStop[],
  epsilon: number,
): Drive {
  const vehicle = problem.vehicles[vehicleIndex]!;
  // A vehicle without stops stays home: it neither drives nor costs anything.
  if (sequence.length === 0) {
    return {
      violations: [],
      distance: 0,
      duration: 0,
      fuelUsedL: 0,
      returnTime: vehicle.shift[0],
      begins: [],
    };
  }
  const withBreaks = simulate(problem, vehicle, sequence, true, epsilon);
  if (withBreaks.violations.length === 0 || vehicle.breaks.length === 0) return withBreaks;
  // The vehicle may be back before its breaks are due and take them after the shift.
  const plain = simulate(problem, vehicle, sequence, false, epsilon);
  const breaksAfterShift = vehicle.breaks.every((rule) => plain.returnTime <= rule.latestStart + epsilon);
  return plain.violations.length === 0 && breaksAfterShift ? plain : withBreaks;
}

function simulate(
  problem: PlanProblem,
  vehicle: PlanVehicle,
  sequence: RouteStop[],
  takeBreaks: boolean,
  epsilon: number,
): Drive {
  const violations: string[] = [];
  const begins: number[] = [];
  const { travel, jobs, facilities } = problem;
  const n = travel.locationCount;
  const dims = Math.max(
    vehicle.capacity.length,
    vehicle.initialLoad.length,
    ...jobs.map((j) => j.amount.length),
  );
  const load = Array.from({ length: dims }, (_, d) => vehicle.initialLoad[d] ?? 0);
  const capacityOf = (d: number): number => vehicle.capacity[d] ?? Infinity;
  const fuel = vehicle.fuel;
  let level = fuel ? fuel.initialL : 0;
  let fuelUsed = 0;
  let distance = 0;
  let driving = 0;
  let shiftLoad = 0;
  let jobCount = 0;
  let tripWaste = new Set<string>();
  const breaks = takeBreaks ? [...vehicle.breaks].sort((a, b) => a.earliestStart - b.earliestStart) : [];
  let nextBreak = 0;

  const releaseOfTrip = (from: number): number => {
    let release = 0;
    for (let k = from; k < sequence.length; k++) {
      const stop = sequence[k]!;
      if (stop.kind === 'job') release = Math.max(release, jobs[stop.index]!.release);
      else if (facilities[stop.index]!.kind === 'disposal') break;
    }
    return release;
  };
  const takeBreak = (startAt: number): number => {
    const rule = breaks[nextBreak++]!;
    if (startAt > rule.latestStart + epsilon) {
      violations.push(
        `break: break ${nextBreak} starts at ${startAt}, after its latest start ${rule.latestStart}`,
      );
    }
    return startAt + rule.duration;
  };
  const burn = (litres: number, where: string, floorL = fuel?.reserveL ?? 0): void => {
    if (!fuel) return;
    level -= litres;
    fuelUsed += litres;
    if (level < floorL - epsilon) {
      violations.push(
        floorL < fuel.reserveL
          ? `fuel: the tank runs dry (${round(level)} L) ${where}`
          : `fuel: the tank falls to ${round(level)} L ${where}, below the reserve ${fuel.reserveL} L`,
      );
    }
  };

  const departure = Math.max(vehicle.shift[0], releaseOfTrip(0));
  let time = departure;
  let at = vehicle.start;
  for (let k = 0; k <= sequence.length; k++) {
    const stop = sequence[k];
    const to =
      stop === undefined
        ? vehicle.end
        : stop.kind === 'job'
          ? jobs[stop.index]!.location
          : facilities[stop.index]!.location;
    const name =
      stop === undefined
        ? 'the end'
        : stop.kind === 'job'
          ? `job ${jobs[stop.index]!.id}`
          : `facility ${facilities[stop.index]!.id}`;
    const leg = travel.distance[at * n + to]!;
    if (!Number.isFinite(leg) || !(at >= 0 && at < n && to >= 0 && to < n)) {
      violations.push(`unreachable: no road from location ${at} to ${name}`);
      return { violations, distance, duration: NaN, fuelUsedL: fuelUsed, returnTime: NaN, begins };
    }
    distance += leg;
    if (fuel) {
      const share =
        capacityOf(0) > 0 && Number.isFinite(capacityOf(0))
          ? Math.min(1, Math.max(0, load[0]! / capacityOf(0)))
          : 0;
      // A truck that starts below its reserve (live state) may use the reserve on the way to a fuel
      // station as its first stop — what the reserve is for — but not run dry.
      const toFuelFirst = k === 0 && stop?.kind === 'facility' && facilities[stop.index]!.kind === 'fuel';
      burn(
        leg * (fuel.perMetreEmpty + (fuel.perMetreLoaded - fuel.perMetreEmpty) * share),
        `on the way to ${name}`,
        toFuelFirst && fuel.initialL < fuel.reserveL ? 0 : fuel.reserveL,
      );
    }
    while (nextBreak < breaks.length && time >= breaks[nextBreak]!.earliestStart - epsilon)
      time = takeBreak(time);
    const drive = travelSeconds(problem, at, to, time);
    driving += drive;
    let arrival = time + drive;
    while (nextBreak < breaks.length && arrival > breaks[nextBreak]!.earliestStart + epsilon) {
      // The break opens during the drive: the driver stops then and drives the rest afterwards.
      const opening = breaks[nextBreak]!.earliestStart;
      arrival = takeBreak(opening) + (arrival - opening);
    }
    if (stop === undefined) {
      time = arrival;
      break;
    }
    const windows = stop.kind === 'job' ? jobs[stop.index]!.windows : facilities[stop.index]!.hours;
    let begin = earliestBegin(windows, arrival, epsilon);
    while (
      nextBreak < breaks.length &&
      begin > breaks[nextBreak]!.earliestStart + epsilon &&
      Number.isFinite(begin)
    ) {
      // The break opens while the driver waits: it is taken then, overlapping the wait.
      const after = takeBreak(Math.max(arrival, breaks[nextBreak]!.earliestStart));
      begin = earliestBegin(windows, Math.max(after, arrival), epsilon);
    }
    if (!Number.isFinite(begin)) {
      const kind = stop.kind === 'job' ? 'time-window' : 'facility-hours';
      violations.push(`${kind}: ${name} is reached at ${arrival}, after its last window closes`);
      begin = arrival;
    }
    begins.push(begin);
    let service: number;
    if (stop.kind === 'job') {
      const job = jobs[stop.index]!;
      for (let d = 0; d < dims; d++) {
        load[d] = load[d]! + (job.amount[d] ?? 0);
        if (load[d]! > capacityOf(d) + epsilon) {
          violations.push(
            `capacity: load ${round(load[d]!)} in dimension ${d} after ${name} exceeds ${capacityOf(d)}`,
          );
        }
      }
      shiftLoad += job.amount[0] ?? 0;
      if (shiftLoad > vehicle.maxShiftLoad + epsilon) {
        violations.push(
          `shift-load: ${round(shiftLoad)} collected by ${name} exceeds the shift limit ${vehicle.maxShiftLoad}`,
        );
      }
      jobCount++;
      if (jobCount > vehicle.maxJobs)
        violations.push(`max-jobs: ${name} is job ${jobCount}, above the limit ${vehicle.maxJobs}`);
      if (job.wasteType !== '') tripWaste.add(job.wasteType);
      service = job.service;
      burn(service * (fuel?.idlePerSecond ?? 0), `while serving ${name}`);
    } else {
      const facility = facilities[stop.index]!;
      if (facility.kind === 'fuel') {
        const litres = fuel ? fuel.tankL - level : 0;
        service = facility.service + facility.secondsPerLitre * litres;
        if (fuel) level = fuel.tankL;
      } else {
        const refused =
          facility.accepts.length === 0 ? [] : [...tripWaste].filter((w) => !facility.accepts.includes(w));
        if (refused.length > 0) violations.push(`waste-type: ${name} does not accept ${refused.join(', ')}`);
        service = facility.service;
        burn(service * (fuel?.idlePerSecond ?? 0), `while unloading at ${name}`);
        load.fill(0);
        tripWaste = new Set();
      }
    }
    time = begin + service;
    if (stop.kind === 'facility' && facilities[stop.index]!.kind === 'disposal') {
      time = Math.max(time, releaseOfTrip(k + 1));
    }
    at = to;
  }
  if (time > vehicle.shift[1] + epsilon) {
    violations.push(`shift: back at ${time}, after the shift closes at ${vehicle.shift[1]}`);
  }
  if (time - departure > vehicle.maxDuration + epsilon) {
    violations.push(`max-duration: the shift lasts ${time - departure} s, above ${vehicle.maxDuration} s`);
  }
  if (distance > (vehicle.maxDistance ?? Infinity) + epsilon) {
    violations.push(`max-distance: the route drives ${round(distance)} m, above ${vehicle.maxDistance} m`);
  }
  if (driving > (vehicle.maxTravelTime ?? Infinity) + epsilon) {
    violations.push(`max-travel-time: ${round(driving)} s at the wheel, above ${vehicle.maxTravelTime} s`);
  }
  if (vehicle.mustEndEmpty && load.some((amount) => amount > epsilon)) {
    violations.push(`must-end-empty: returns with load ${load.map(round).join('/')}`);
  }
  return {
    violations,
    distance,
    duration: time - departure,
    fuelUsedL: fuelUsed,
    returnTime: time,
    begins,
  };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
