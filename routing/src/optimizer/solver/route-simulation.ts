/**
 * Drives one vehicle through a stop sequence and says whether every rule holds: windows and shift,
 * breaks at the first chance, trip capacity (a disposal facility empties the body), shift load and job
 * count, waste accepted where it is unloaded, fuel above the reserve (refuelling to full at a fuel stop),
 * trip release times, time-dependent travel. The search calls it to confirm candidate moves; with
 * `record` it also writes the schedule that the plan reports.
 */
import type { ScheduledStop } from '../model/plan-problem.js';
import { beginWithin, facilityOf, travelTime, type PreparedProblem } from './prepared-problem.js';

export interface RouteFigures {
  distance: number;
  /** Return time. */
  end: number;
  /** Departure to return. */
  duration: number;
  waiting: number;
  fuelUsedL: number;
  /** Route cost under the objective (distance, or the vehicle's costs), without the vehicle weight. */
  cost: number;
}

const EPS = 1e-6;

/**
 * The schedule without allocations, for the search's route caches: per position (start, each stop,
 * end; breaks left out) the service begin, the departure and the load after it.
 */
export class ScheduleTrace {
  begin = new Float64Array(64);
  departure = new Float64Array(64);
  load: Float64Array;
  count = 0;

  constructor(readonly dims: number) {
    this.load = new Float64Array(64 * dims);
  }

  add(begin: number, departure: number, load: Float64Array): void {
    if (this.count === this.begin.length) {
      const grow = (from: Float64Array): Float64Array<ArrayBuffer> => {
        const to = new Float64Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.begin = grow(this.begin);
      this.departure = grow(this.departure);
      this.load = grow(this.load);
    }
    const at = this.count++;
    this.begin[at] = begin;
    this.departure[at] = departure;
    for (let d = 0; d < this.dims; d++) this.load[at * this.dims + d] = load[d]!;
  }
}

/** Where a simulation writes its schedule: the plan's stops, or the search's compact trace. */
export type ScheduleRecord = ScheduledStop[] | ScheduleTrace;

export function newFigures(): RouteFigures {
  return { distance: 0, end: 0, duration: 0, waiting: 0, fuelUsedL: 0, cost: 0 };
}

/**
 * Returns the route's cost, or Infinity when a rule is broken. An empty route costs 0 (the vehicle
 * stays home). Breaks whose window is still open when the vehicle is back may be taken after the shift.
 */
export function simulateRoute(
  pp: PreparedProblem,
  vehicle: number,
  codes: readonly number[],
  figures: RouteFigures = newFigures(),
  record?: ScheduleRecord,
): number {
  figures.distance = 0;
  figures.end = 0;
  figures.duration = 0;
  figures.waiting = 0;
  figures.fuelUsedL = 0;
  figures.cost = 0;
  if (codes.length === 0) return 0;
  const spec = pp.problem.vehicles[vehicle]!;
  if (spec.breaks.length === 0) return drive(pp, vehicle, codes, true, figures, record);
  const withBreaks = drive(pp, vehicle, codes, true, figures, record);
  if (withBreaks < Infinity) return withBreaks;
  const plain = drive(pp, vehicle, codes, false, figures, record);
  if (plain === Infinity) return Infinity;
  // Without breaks the shift ends before every break's window closes: they follow the shift.
  return spec.breaks.every((b) => figures.end <= b.latestStart + EPS) ? plain : Infinity;
}

function drive(
  pp: PreparedProblem,
  vehicle: number,
  codes: readonly number[],
  withBreaks: boolean,
  figures: RouteFigures,
  record: ScheduleRecord | undefined,
): number {
  const { problem, dims, distance: dist, n } = pp;
  const spec = problem.vehicles[vehicle]!;
  const jobs = problem.jobs;
  const facilities = problem.facilities;
  const capacity = spec.capacity;
  const fuel = spec.fuel;
  const startsBelowReserve = fuel !== null && fuel.initialL < fuel.reserveL;
  const maxDistance = spec.maxDistance ?? Infinity;
  const maxTravelTime = spec.maxTravelTime ?? Infinity;
  let driving = 0;
  const breaks = withBreaks ? spec.breaks : [];
  let nextBreak = 0;
  const load = new Float64Array(dims);
  for (let d = 0; d < dims; d++) load[d] = spec.initialLoad[d] ?? 0;
  let tripWaste = 0;
  let shiftLoad = 0;
  let jobCount = 0;
  let level = fuel ? fuel.initialL : 0;
  let fuelUsed = 0;
  let distance = 0;
  let waiting = 0;
  let at = spec.start;
  let time = spec.shift[0];
  if (pp.hasRelease) time = Math.max(time, tripRelease(pp, codes, 0));
  const departure = time;
  if (record) {
    if (record instanceof ScheduleTrace) record.count = 0;
    else record.length = 0;
    write(record, 'start', -1, at, time, time, time, load, fuel ? level : null, 0, 0);
  }

  const takeBreak = (startAt: number, location: number): number => {
    const rule = breaks[nextBreak++]!;
    if (startAt > rule.latestStart + EPS) return Infinity;
    const end = startAt + rule.duration;
    if (record) write(record, 'break', -1, location, startAt, startAt, end, load, fuel ? level : null, 0, 0);
    return end;
  };

  for (let k = 0; k <= codes.length; k++) {
    const last = k === codes.length;
    const code = last ? 0 : codes[k]!;
    const isJob = !last && code >= 0;
    const facility = !last && code < 0 ? facilityOf(code) : -1;
    const to = last ? spec.end : isJob ? pp.jobLocation[code]! : pp.facilityLocation[facility]!;
    const leg = dist[at * n + to]!;
    distance += leg;
    if (fuel) {
      const share = capacity[0]! > 0 ? Math.min(1, Math.max(0, load[0]! / capacity[0]!)) : 0;
      const used = leg * (fuel.perMetreEmpty + (fuel.perMetreLoaded - fuel.perMetreEmpty) * share);
      level -= used;
      fuelUsed += used;
      // Starting below the reserve (live state), the first leg may use it to reach a fuel station.
      const floor =
        k === 0 && startsBelowReserve && facility >= 0 && pp.isFuel[facility] === 1 ? 0 : fuel.reserveL;
      if (level < floor - EPS) return Infinity;
    }
    while (nextBreak < breaks.length && time >= breaks[nextBreak]!.earliestStart) {
      time = takeBreak(time, at);
      if (time === Infinity) return Infinity;
    }
    const drive = travelTime(pp, at, to, time);
    driving += drive;
    let arrival = time + drive;
    while (nextBreak < breaks.length && arrival > breaks[nextBreak]!.earliestStart) {
      // The drive spans the break's opening: the driver stops then.
      const opening = breaks[nextBreak]!.earliestStart;
      const after = takeBreak(opening, at);
      if (after === Infinity) return Infinity;
      arrival = after + (arrival - opening);
    }
    if (last) {
      if (arrival > spec.shift[1] + EPS || arrival - departure > spec.maxDuration + EPS) return Infinity;
      if (distance > maxDistance + EPS || driving > maxTravelTime + EPS) return Infinity;
      if (spec.mustEndEmpty && load[0]! > EPS) return Infinity;
      if (record) write(record, 'end', -1, to, arrival, arrival, arrival, load, fuel ? level : null, 0, leg);
      time = arrival;
      break;
    }
    const windows = isJob ? jobs[code]!.windows : facilities[facility]!.hours;
    let begin = beginWithin(windows, arrival);
    if (begin === Infinity) return Infinity;
    while (nextBreak < breaks.length && begin > breaks[nextBreak]!.earliestStart) {
      // Waiting spans the break's opening: the break overlaps the wait.
      const opening = Math.max(arrival, breaks[nextBreak]!.earliestStart);
      const after = takeBreak(opening, to);
      if (after === Infinity) return Infinity;
      begin = beginWithin(windows, Math.max(after, arrival));
      if (begin === Infinity) return Infinity;
    }
    waiting += begin - arrival;
    let service: number;
    let refuel = 0;
    if (isJob) {
      const base = code * dims;
      for (let d = 0; d < dims; d++) {
        load[d] = load[d]! + pp.jobAmount[base + d]!;
        if (load[d]! > (capacity[d] ?? Infinity) + EPS) return Infinity;
      }
      shiftLoad += pp.jobAmount[base]!;
      if (shiftLoad > spec.maxShiftLoad + EPS || ++jobCount > spec.maxJobs) return Infinity;
      tripWaste |= pp.jobWaste[code]!;
      service = pp.jobService[code]!;
    } else if (pp.isFuel[facility] === 1) {
      const info = facilities[facility]!;
      refuel = fuel ? fuel.tankL - level : 0;
      service = info.service + info.secondsPerLitre * refuel;
      if (fuel) level = fuel.tankL;
    } else {
      if ((tripWaste & pp.facilityAccepts[facility]!) !== tripWaste) return Infinity;
      service = facilities[facility]!.service;
      load.fill(0);
      tripWaste = 0;
    }
    if (fuel && !(pp.isFuel[facility] === 1)) {
      const idle = service * fuel.idlePerSecond;
      level -= idle;
      fuelUsed += idle;
      if (level < fuel.reserveL - EPS) return Infinity;
    }
    time = begin + service;
    if (pp.hasRelease && facility >= 0 && pp.isFuel[facility] === 0) {
      time = Math.max(time, tripRelease(pp, codes, k + 1));
    }
    if (record) {
      write(
        record,
        isJob ? 'job' : 'facility',
        isJob ? code : facility,
        to,
        arrival,
        begin,
        time,
        load,
        fuel ? level : null,
        refuel,
        leg,
      );
    }
    at = to;
  }
  figures.distance = distance;
  figures.end = time;
  figures.duration = time - departure;
  figures.waiting = waiting;
  figures.fuelUsedL = fuelUsed;
  const costs = spec.costs;
  figures.cost =
    problem.objective === 'cost'
      ? costs.fixed + costs.perMetre * distance + costs.perSecond * figures.duration
      : distance;
  return figures.cost;
}

/** Latest release among the jobs of the trip that starts at `from` (up to the next disposal stop). */
function tripRelease(pp: PreparedProblem, codes: readonly number[], from: number): number {
  let release = 0;
  for (let k = from; k < codes.length; k++) {
    const code = codes[k]!;
    if (code >= 0) release = Math.max(release, pp.jobRelease[code]!);
    else if (pp.isFuel[facilityOf(code)] === 0) break;
  }
  return release;
}

function write(
  record: ScheduleRecord,
  kind: ScheduledStop['kind'],
  index: number,
  location: number,
  arrival: number,
  begin: number,
  departure: number,
  load: Float64Array,
  fuelL: number | null,
  refuelL: number,
  distance: number,
): void {
  if (record instanceof ScheduleTrace) {
    if (kind !== 'break') record.add(begin, departure, load);
    return;
  }
  record.push({
    kind,
    index,
    location,
    arrival,
    begin,
    departure,
    load: Array.from(load),
    fuelL,
    refuelL,
    distance,
  });
}
