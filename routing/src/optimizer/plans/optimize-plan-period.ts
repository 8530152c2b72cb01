/**
 * Optimizes a plan over its period: the reference day's request is moved to each date (whole days, so
 * local clock times stay), the sites scheduled that day become the jobs, and each day is solved. Days
 * with the same weekday share the travel matrix (traffic repeats weekly), and days with the same
 * weekday and the same sites share the solution.
 */
import { OptimizerInputError } from '../api/optimizer-error.js';
import { solveChecked, type OptimizerContext } from '../api/optimize-plan-request.js';
import { planResponse, type PlanResponse } from '../api/plan-response.js';
import { layoutPlanRequest, planRequestToProblem } from '../api/plan-request-to-problem.js';
import type { PlanRequest } from '../api/plan-request-schema.js';
import { planGeometries } from '../api/route-geometry.js';
import { buildTravelMatrix } from '../api/travel-matrix.js';
import type { PlanSolution, TravelMatrix } from '../model/plan-problem.js';
import { dateOfDayNumber, dayNumber, isoWeekday, isScheduledOn } from './collection-schedule.js';
import { MAX_PLAN_DAYS } from './plan-input-schema.js';
import { workOrdersOfDay, type WorkOrder } from './work-orders.js';

export interface PeriodPlan {
  days: { date: string; plan: PlanResponse }[];
  workOrders: WorkOrder[];
  summary: {
    days: number;
    work_orders: number;
    sites_served: number;
    sites_unassigned: number;
    distance_m: number;
    /** Every day's plan passed the independent check. */
    feasible: boolean;
  };
}

const DAY_S = 86_400;

/** The period's length in days; a 400 when it is empty or longer than MAX_PLAN_DAYS. */
export function planPeriodDays(period: { from: string; to: string }): number {
  const days = dayNumber(period.to) - dayNumber(period.from) + 1;
  if (days < 1 || days > MAX_PLAN_DAYS) {
    throw new OptimizerInputError(
      'InvalidInput',
      `Период плана должен быть от 1 до ${MAX_PLAN_DAYS} дней, конец не раньше начала`,
      `The plan period must be 1 to ${MAX_PLAN_DAYS} days, ending no earlier than it starts`,
    );
  }
  return days;
}

export async function optimizePlanPeriod(
  request: PlanRequest,
  period: { from: string; to: string },
  context: OptimizerContext & { utcOffsetMinutes: number },
  /** Called after each day of the period (days without sites too). */
  onProgress?: (daysDone: number, daysTotal: number) => void,
): Promise<PeriodPlan> {
  const total = planPeriodDays(period);
  const first = dayNumber(period.from);
  const last = first + total - 1;
  const reference = referenceDay(request, context.utcOffsetMinutes);
  const matrices = new Map<number, TravelMatrix>();
  const solutions = new Map<string, PlanSolution>();
  const days: PeriodPlan['days'] = [];
  for (let day = first; day <= last; day++) {
    if (day > first) onProgress?.(day - first, total);
    const date = dateOfDayNumber(day);
    const sites = request.sites.filter((site) => !site.schedule || isScheduledOn(site.schedule, date));
    if (sites.length === 0) continue;
    const full = shiftRequest(request, (day - reference) * DAY_S);
    const layout = layoutPlanRequest(full);
    const weekday = isoWeekday(date);
    let travel = matrices.get(weekday);
    if (!travel) {
      travel = await buildTravelMatrix(context.engine, layout.coordinates, {
        epochS: layout.epochS,
        horizonS: layout.horizonS,
        slotSeconds: full.options.slot_minutes * 60,
        traffic: full.options.traffic,
      });
      matrices.set(weekday, travel);
    }
    const dayRequest = { ...full, sites: sites.map((site) => full.sites[request.sites.indexOf(site)]!) };
    const problem = planRequestToProblem(dayRequest, layout, travel);
    const key = `${weekday}:${sites.map((s) => s.id).join('\u0000')}`;
    let solution = solutions.get(key);
    if (!solution) {
      solution = await solveChecked(problem, full.options, context);
      solutions.set(key, solution);
    }
    const geometries = full.options.geometry ? await planGeometries(context.engine, solution, layout) : [];
    days.push({ date, plan: planResponse(dayRequest, layout, problem, solution, geometries) });
  }
  const workOrders = days.flatMap(({ date, plan }) => workOrdersOfDay(date, plan));
  return {
    days,
    workOrders,
    summary: {
      days: days.length,
      work_orders: workOrders.length,
      sites_served: days.reduce((sum, d) => sum + d.plan.summary.sites_served, 0),
      sites_unassigned: days.reduce((sum, d) => sum + d.plan.summary.sites_unassigned, 0),
      distance_m: Math.round(days.reduce((sum, d) => sum + d.plan.summary.distance_m, 0) * 10) / 10,
      feasible: days.every((d) => d.plan.check.feasible),
    },
  };
}

/** The local calendar day (as a day number) of the request's earliest shift start. */
function referenceDay(request: PlanRequest, utcOffsetMinutes: number): number {
  const start = Math.min(...request.vehicles.map((v) => Date.parse(v.shift.from)));
  return Math.floor((start + utcOffsetMinutes * 60_000) / 86_400_000);
}

/** The request with every timestamp moved by `seconds`. */
function shiftRequest(request: PlanRequest, seconds: number): PlanRequest {
  const move = (iso: string): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();
  const moveWindow = (w: { from: string; to: string }): { from: string; to: string } => ({
    from: move(w.from),
    to: move(w.to),
  });
  return {
    ...request,
    vehicles: request.vehicles.map((v) => ({
      ...v,
      shift: moveWindow(v.shift),
      breaks: v.breaks.map((b) => ({ ...b, earliest: move(b.earliest), latest: move(b.latest) })),
    })),
    sites: request.sites.map((s) => ({
      ...s,
      windows: s.windows.map(moveWindow),
      ...(s.release_at !== undefined ? { release_at: move(s.release_at) } : {}),
    })),
    facilities: request.facilities.map((f) => ({ ...f, hours: f.hours.map(moveWindow) })),
    fuel_stations: request.fuel_stations.map((f) => ({ ...f, hours: f.hours.map(moveWindow) })),
  };
}
