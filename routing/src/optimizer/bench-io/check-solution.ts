/**
 * Independent feasibility checker for benchmark solutions: recomputes everything from the instance alone
 * (never trusts a solver's own bookkeeping) and returns every violation it finds, with the objective in
 * the family's own distance convention.
 *
 * Rules (../shared/data/vrp/README.md):
 * - every customer served exactly once (G-VRP: except the customers the convention drops);
 * - load per trip ≤ capacity; a trip ends at a disposal facility (Kim) or a depot reload (MTVRPTWR);
 * - time windows bound the start of service, waiting is allowed, service times count; the depot's window
 *   bounds leaving and returning; an MTVRPTWR trip leaves the depot no earlier than the release time of
 *   each customer on it; route duration ≤ maxRouteDuration (G-VRP 11 h);
 * - battery / fuel never below zero: full at the depot, consumption rate × distance per leg, refilled to
 *   full at a station taking service + rechargeTimePerUnit × (capacity − level);
 * - Kim: day load ≤ route capacity, customer stops ≤ max stops, return empty, and the lunch break;
 * - the number of non-empty routes ≤ the fleet.
 */
import { roundTotal } from './distance.js';
import type { BenchInstance } from './instance.js';
import type { Solution } from './solution.js';

export interface CheckResult {
  feasible: boolean;
  violations: string[];
  /** Total distance in the family's convention (integer for nint, one decimal for trunc1). */
  cost: number;
  /** Non-empty routes. */
  vehicles: number;
}

/** Float slack for sums of rounded values (one-decimal sums drift by ~1e-13). */
const EPS = 1e-6;
const LISTED = 20;

interface RouteRun {
  violations: string[];
  distance: number;
  /** Return time to the depot. */
  end: number;
}

const fmt = (value: number): string => String(Math.round(value * 1000) / 1000);

function describe(instance: BenchInstance, index: number): string {
  const node = instance.nodes[index]!;
  return `${node.kind} ${node.id}`;
}

/** Release time of each trip of a route (MTVRPTWR): the latest release among its customers. */
function tripReleases(instance: BenchInstance, route: readonly number[]): number[] {
  const release = instance.releaseTimes;
  const out = [0];
  for (const index of route) {
    if (index === 0) out.push(0);
    else if (release !== null) out[out.length - 1] = Math.max(out[out.length - 1]!, release[index] ?? 0);
  }
  return out;
}

/**
 * One pass over a route. `withBreak`: the lunch break is taken at the earliest moment at or after its
 * window opens that is not spent in service (driving or waiting) — the earliest break dominates, since
 * later waiting can only absorb the delay it causes.
 */
function runRoute(
  instance: BenchInstance,
  route: readonly number[],
  label: string,
  withBreak: boolean,
): RouteRun {
  const { nodes, energy, capacity } = instance;
  const lunch = withBreak ? instance.lunchBreak : null;
  const violations: string[] = [];
  const depot = nodes[0]!;
  const releases = tripReleases(instance, route);
  let trip = 0;
  let time = Math.max(depot.ready, releases[0]!);
  const start = time;
  let load = 0;
  let dayLoad = 0;
  let stops = 0;
  let level = energy ? energy.capacity : Number.POSITIVE_INFINITY;
  let distance = 0;
  let breakPending = lunch !== null;
  let end = time;
  let prev = 0;

  const closeTrip = (): void => {
    if (load > capacity + EPS) {
      violations.push(`${label} trip ${trip + 1}: load ${fmt(load)} exceeds capacity ${fmt(capacity)}`);
    }
  };
  const takeBreak = (at: number): number => {
    breakPending = false;
    if (lunch !== null && at > lunch.latestStart + EPS) {
      violations.push(
        `${label}: lunch break cannot start by ${fmt(lunch.latestStart)} (first chance ${fmt(at)})`,
      );
    }
    return at + (lunch?.duration ?? 0);
  };

  for (let k = 0; k <= route.length; k++) {
    const last = k === route.length;
    const cur = last ? 0 : route[k]!;
    const node = nodes[cur]!;
    const leg = instance.distance(prev, cur);
    distance += leg;
    if (energy) {
      level -= energy.consumptionRate * leg;
      if (level < -EPS) {
        violations.push(`${label}: energy ${fmt(level)} below zero on arrival at ${describe(instance, cur)}`);
      }
    }
    if (lunch !== null && breakPending && time >= lunch.earliestStart) time = takeBreak(time);
    let arrival = time + instance.travelTime(prev, cur);
    if (lunch !== null && breakPending && arrival > lunch.earliestStart) {
      // The drive spans the opening of the lunch window: stop at the opening.
      arrival = takeBreak(lunch.earliestStart) + (arrival - lunch.earliestStart);
    }
    let begin = Math.max(arrival, node.ready);
    if (lunch !== null && breakPending && begin > lunch.earliestStart) {
      // Waiting for the window spans the lunch opening: lunch overlaps the wait.
      begin = Math.max(node.ready, takeBreak(lunch.earliestStart));
    }
    if (begin > node.due + EPS) {
      violations.push(
        `${label}: ${last ? 'returns to' : 'starts service at'} ${describe(instance, cur)} at ${fmt(begin)}, ` +
          `after its due time ${fmt(node.due)}`,
      );
    }
    if (last) {
      end = begin;
      closeTrip();
      if (instance.mustEndEmpty && load > EPS) {
        violations.push(
          `${label}: returns to the depot with load ${fmt(load)} (must unload at a facility first)`,
        );
      }
      break;
    }
    switch (node.kind) {
      case 'depot':
        if (!instance.reloadAtDepot) {
          violations.push(`${label}: visits the depot mid-route; ${instance.family} has no reloads`);
        }
        closeTrip();
        load = 0;
        trip++;
        time = Math.max(begin + node.service, releases[trip] ?? 0);
        break;
      case 'customer':
        load += node.demand;
        dayLoad += node.demand;
        stops++;
        time = begin + node.service;
        break;
      case 'station':
        if (!energy)
          violations.push(`${label}: visits station ${node.id}; ${instance.family} has no range limit`);
        time =
          begin +
          node.service +
          (energy ? energy.rechargeTimePerUnit * (energy.capacity - Math.max(level, 0)) : 0);
        if (energy) level = energy.capacity;
        break;
      case 'disposal':
        closeTrip();
        load = 0;
        trip++;
        time = begin + node.service;
        break;
    }
    prev = cur;
  }
  if (dayLoad > instance.routeCapacity + EPS) {
    violations.push(
      `${label}: collects ${fmt(dayLoad)} in the day, route capacity ${fmt(instance.routeCapacity)}`,
    );
  }
  if (stops > instance.maxStopsPerRoute) {
    violations.push(`${label}: serves ${stops} stops, at most ${instance.maxStopsPerRoute} per day`);
  }
  if (end - start > instance.maxRouteDuration + EPS) {
    violations.push(`${label}: lasts ${fmt(end - start)}, longer than ${fmt(instance.maxRouteDuration)}`);
  }
  return { violations, distance, end };
}

function checkRoute(instance: BenchInstance, route: readonly number[], label: string): RouteRun {
  const lunch = instance.lunchBreak;
  const plain = runRoute(instance, route, label, false);
  // Back at the depot before the lunch window closes: lunch can be taken after the route.
  if (lunch === null || plain.end <= lunch.latestStart + EPS) return plain;
  return runRoute(instance, route, label, true);
}

function listIds(instance: BenchInstance, indices: number[]): string {
  const shown = indices.slice(0, LISTED).map((index) => instance.nodes[index]!.id);
  return indices.length > LISTED ? `${shown.join(', ')} … (+${indices.length - LISTED})` : shown.join(', ');
}

export function checkSolution(instance: BenchInstance, solution: Solution): CheckResult {
  const { nodes } = instance;
  const violations: string[] = [];
  const visits = new Int32Array(nodes.length);
  let total = 0;
  let vehicles = 0;
  solution.routes.forEach((route, r) => {
    if (route.length === 0) return;
    vehicles++;
    const label = `route ${r + 1}`;
    const bad = route.filter((index) => !Number.isInteger(index) || index < 0 || index >= nodes.length);
    if (bad.length > 0) {
      violations.push(`${label}: ${bad.join(', ')} not node indices (0..${nodes.length - 1})`);
      return;
    }
    for (const index of route) if (nodes[index]!.kind === 'customer') visits[index]!++;
    const run = checkRoute(instance, route, label);
    total += run.distance;
    violations.push(...run.violations);
  });
  const dropped = new Set(instance.unservable);
  const missing: number[] = [];
  const repeated: number[] = [];
  nodes.forEach((node, index) => {
    if (node.kind !== 'customer') return;
    if (visits[index] === 0 && !dropped.has(index)) missing.push(index);
    if (visits[index]! > 1) repeated.push(index);
  });
  if (missing.length > 0)
    violations.push(`${missing.length} customers not served: ${listIds(instance, missing)}`);
  if (repeated.length > 0) {
    violations.push(`${repeated.length} customers served more than once: ${listIds(instance, repeated)}`);
  }
  if (vehicles > instance.vehicles)
    violations.push(`uses ${vehicles} vehicles, fleet has ${instance.vehicles}`);
  return {
    feasible: violations.length === 0,
    violations,
    cost: roundTotal(instance.convention, total),
    vehicles,
  };
}
