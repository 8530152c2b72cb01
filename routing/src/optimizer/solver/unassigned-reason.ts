/**
 * Why a job stayed out of the plan: the first rule that rules it out for every vehicle on its own, or
 * 'fleet' when some vehicle could serve it alone (the others' routes left no room).
 */
import type { PlanProblem, UnassignedReason } from '../model/plan-problem.js';
import { bestFacility } from './insertion.js';
import { facilityCode, type PreparedProblem } from './prepared-problem.js';
import { simulateRoute } from './route-simulation.js';

export function unassignedReason(pp: PreparedProblem, job: number): UnassignedReason {
  const { problem, jobCount, dims } = pp;
  const vehicles = problem.vehicles.flatMap((_, v) => (pp.compatible[v * jobCount + job] === 1 ? [v] : []));
  if (vehicles.length === 0) return 'skills';
  const at = pp.jobLocation[job]!;
  const reachable = vehicles.some((v) => {
    const spec = problem.vehicles[v]!;
    return (
      Number.isFinite(pp.distance[spec.start * pp.n + at]!) &&
      Number.isFinite(pp.distance[at * pp.n + spec.end]!)
    );
  });
  if (!reachable) return 'unreachable';
  const fits = vehicles.filter((v) =>
    problem.vehicles[v]!.capacity.every((cap, d) => d >= dims || pp.jobAmount[job * dims + d]! <= cap + 1e-9),
  );
  if (fits.length === 0) return 'capacity';
  const waste = pp.jobWaste[job]!;
  // A facility that takes the waste and can be driven to from the site and on to a vehicle's end.
  const usable = (f: number): boolean => {
    const place = pp.facilityLocation[f]!;
    return (
      (pp.facilityAccepts[f]! & waste) === waste &&
      Number.isFinite(pp.distance[at * pp.n + place]!) &&
      fits.some((v) => Number.isFinite(pp.distance[place * pp.n + problem.vehicles[v]!.end]!))
    );
  };
  const mustUnload = fits.every((v) => problem.vehicles[v]!.mustEndEmpty);
  if (pp.disposal.length > 0 && mustUnload && !pp.disposal.some(usable)) return 'facility';
  if (fits.some((v) => servesAlone(pp, v, job))) return 'fleet';
  const withoutFuel: PlanProblem = {
    ...problem,
    vehicles: problem.vehicles.map((v) => ({ ...v, fuel: null })),
  };
  const relaxed: PreparedProblem = { ...pp, problem: withoutFuel };
  if (fits.some((v) => servesAlone(relaxed, v, job))) return 'fuel';
  const unlimited: PlanProblem = {
    ...withoutFuel,
    vehicles: withoutFuel.vehicles.map(({ maxDistance: _d, maxTravelTime: _t, ...v }) => v),
  };
  if (fits.some((v) => servesAlone({ ...pp, problem: unlimited }, v, job))) return 'route-limit';
  return 'time-window';
}

/** Whether vehicle v can serve the job as its only one (after its fixed stops), unloading or refuelling as needed. */
function servesAlone(pp: PreparedProblem, v: number, job: number): boolean {
  const spec = pp.problem.vehicles[v]!;
  const prefix = spec.fixedStops.map((s) => (s.kind === 'job' ? s.index : facilityCode(s.index)));
  const c = pp.jobLocation[job]!;
  const options: number[][] = [[job]];
  if (pp.disposal.length > 0) {
    const f = facilityCode(bestFacility(pp, pp.disposal, c, spec.end, pp.jobWaste[job]!));
    options.push([job, f], [f, job, f]);
  }
  if (pp.fuel.length > 0) {
    const before = facilityCode(bestFacility(pp, pp.fuel, spec.start, c));
    const after = facilityCode(bestFacility(pp, pp.fuel, c, spec.end));
    options.push([before, job], [job, after], [before, job, after]);
  }
  return options.some((codes) => simulateRoute(pp, v, [...prefix, ...codes]) < Infinity);
}
