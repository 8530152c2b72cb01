/**
 * Work orders (наряды): one vehicle's stops on one day, cut from a day's optimized plan, and their
 * weekly and monthly roll-ups per carrier and vehicle (a weekly order lists its daily ones).
 */
import type { PlanResponse, StopOutput } from '../api/plan-response.js';
import { dateOfDayNumber, dayNumber, isoWeekday } from './collection-schedule.js';

export interface WorkOrderSummary {
  sites: number;
  containers: number;
  trips: number;
  distance_m: number;
  duration_s: number;
  fuel_used_l: number;
  start_at: string;
  end_at: string;
}

export interface WorkOrder {
  carrier_id: string;
  vehicle_id: string;
  date: string;
  stops: StopOutput[];
  summary: WorkOrderSummary;
}

/** The day's work orders, one per vehicle that leaves the depot. Unknown carriers are ''. */
export function workOrdersOfDay(date: string, plan: PlanResponse): WorkOrder[] {
  return plan.routes.map((route) => ({
    carrier_id: route.carrier_id ?? '',
    vehicle_id: route.vehicle_id,
    date,
    stops: route.stops,
    summary: {
      sites: route.stops.filter((s) => s.type === 'site').length,
      containers: route.stops.reduce((sum, s) => sum + (s.containers ?? 0), 0),
      trips: route.trips,
      distance_m: route.distance_m,
      duration_s: route.duration_s,
      fuel_used_l: route.fuel_used_l,
      start_at: route.start_at,
      end_at: route.end_at,
    },
  }));
}

export type WorkOrderPeriod = 'daily' | 'weekly' | 'monthly';

export interface WorkOrderGroup {
  carrier_id: string;
  vehicle_id: string;
  period: WorkOrderPeriod;
  /** First and last calendar day of the period (a week is Monday–Sunday). */
  from: string;
  to: string;
  days: string[];
  totals: { sites: number; containers: number; trips: number; distance_m: number; duration_s: number };
  orders: { date: string; summary: WorkOrderSummary; stops?: StopOutput[] }[];
}

export function periodOf(date: string, period: WorkOrderPeriod): { from: string; to: string } {
  if (period === 'daily') return { from: date, to: date };
  if (period === 'weekly') {
    const monday = dayNumber(date) - (isoWeekday(date) - 1);
    return { from: dateOfDayNumber(monday), to: dateOfDayNumber(monday + 6) };
  }
  const [y, m] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const month = String(m).padStart(2, '0');
  return { from: `${y}-${month}-01`, to: `${y}-${month}-${String(last).padStart(2, '0')}` };
}

/**
 * Groups daily work orders by carrier, vehicle and period, in order of carrier, vehicle and date.
 * Daily groups keep their stops; weekly and monthly ones list the days' summaries.
 */
export function groupWorkOrders(orders: readonly WorkOrder[], period: WorkOrderPeriod): WorkOrderGroup[] {
  const groups = new Map<string, WorkOrderGroup>();
  const sorted = [...orders].sort(
    (a, b) =>
      a.carrier_id.localeCompare(b.carrier_id) ||
      a.vehicle_id.localeCompare(b.vehicle_id) ||
      a.date.localeCompare(b.date),
  );
  for (const order of sorted) {
    const { from, to } = periodOf(order.date, period);
    const key = `${order.carrier_id}\u0000${order.vehicle_id}\u0000${from}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        carrier_id: order.carrier_id,
        vehicle_id: order.vehicle_id,
        period,
        from,
        to,
        days: [],
        totals: { sites: 0, containers: 0, trips: 0, distance_m: 0, duration_s: 0 },
        orders: [],
      };
      groups.set(key, group);
    }
    group.days.push(order.date);
    group.totals.sites += order.summary.sites;
    group.totals.containers += order.summary.containers;
    group.totals.trips += order.summary.trips;
    group.totals.distance_m = Math.round((group.totals.distance_m + order.summary.distance_m) * 10) / 10;
    group.totals.duration_s += order.summary.duration_s;
    group.orders.push({
      date: order.date,
      summary: order.summary,
      ...(period === 'daily' ? { stops: order.stops } : {}),
    });
  }
  return [...groups.values()];
}
