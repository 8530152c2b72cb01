/**
 * A cost of leaving a job unserved that is larger than anything serving it can add under the 'cost'
 * objective, so the plan serves every job it can (VROOM's and dispatchers' expectation), including a
 * fleet priced per hour alone (VROOM's default cost is travel time): waiting for a window can add up to
 * the whole span of the plan's times.
 */
import type { PlanProblem } from '../model/plan-problem.js';

export function servingPenalty(problem: Omit<PlanProblem, 'unassignedPenalty'>): number {
  const { travel, vehicles, jobs, facilities } = problem;
  const finiteMax = (values: Iterable<number>): number => {
    let max = 0;
    for (const v of values) if (Number.isFinite(v) && v > max) max = v;
    return max;
  };
  const maxTravel = finiteMax(
    [travel.duration, ...(travel.durationSlots?.matrices ?? [])].flatMap((m) => [finiteMax(m)]),
  );
  const maxDistance = finiteMax(travel.distance);
  const times = [
    ...vehicles.flatMap((v) => v.shift),
    ...jobs.flatMap((j) => j.windows.flat()),
    ...facilities.flatMap((f) => f.hours.flat()),
  ].filter(Number.isFinite);
  // Waiting for a window can add up to the whole span of the plan's times.
  const span = times.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
  const tank = finiteMax(vehicles.map((v) => v.fuel?.tankL ?? 0));
  const maxStop =
    finiteMax(jobs.map((j) => j.service)) +
    finiteMax(facilities.map((f) => f.service + f.secondsPerLitre * tank));
  const worst = finiteMax(
    vehicles.map(
      (v) =>
        v.costs.fixed +
        v.costs.perSecond * (4 * maxTravel + 2 * maxStop + span) +
        v.costs.perMetre * 4 * maxDistance,
    ),
  );
  return 10 * (worst + 1);
}
