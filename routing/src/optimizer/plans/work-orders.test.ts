import { describe, expect, it } from 'vitest';
import { groupWorkOrders, periodOf, type WorkOrder } from './work-orders.js';

function order(vehicle: string, date: string, sites: number, carrier = 'carrier-1'): WorkOrder {
  return {
    carrier_id: carrier,
    vehicle_id: vehicle,
    date,
    stops: [],
    summary: {
      sites,
      containers: sites * 2,
      trips: 1,
      distance_m: 1000.5,
      duration_s: 3600,
      fuel_used_l: 10,
      start_at: `${date}T05:00:00.000Z`,
      end_at: `${date}T06:00:00.000Z`,
    },
  };
}

describe('work orders', () => {
  it('finds the week (Monday–Sunday) and the month of a day', () => {
    expect(periodOf('2026-12-03', 'weekly')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(periodOf('2026-12-06', 'weekly')).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(periodOf('2027-02-10', 'monthly')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(periodOf('2026-12-03', 'daily')).toEqual({ from: '2026-12-03', to: '2026-12-03' });
  });

  it('rolls daily orders up per carrier, vehicle and week or month', () => {
    const orders = [
      order('truck-2', '2026-12-01', 3),
      order('truck-1', '2026-12-08', 4),
      order('truck-1', '2026-12-01', 5),
      order('truck-1', '2026-12-03', 6),
      order('truck-9', '2026-12-01', 1, 'carrier-0'),
    ];
    const weekly = groupWorkOrders(orders, 'weekly');
    expect(weekly.map((g) => [g.carrier_id, g.vehicle_id, g.from, g.days])).toEqual([
      ['carrier-0', 'truck-9', '2026-11-30', ['2026-12-01']],
      ['carrier-1', 'truck-1', '2026-11-30', ['2026-12-01', '2026-12-03']],
      ['carrier-1', 'truck-1', '2026-12-07', ['2026-12-08']],
      ['carrier-1', 'truck-2', '2026-11-30', ['2026-12-01']],
    ]);
    expect(weekly[1]!.totals).toEqual({
      sites: 11,
      containers: 22,
      trips: 2,
      distance_m: 2001,
      duration_s: 7200,
    });
    expect(weekly[1]!.orders[0]!.stops).toBeUndefined();
    const monthly = groupWorkOrders(orders, 'monthly');
    expect(monthly.find((g) => g.vehicle_id === 'truck-1')!.days).toEqual([
      '2026-12-01',
      '2026-12-03',
      '2026-12-08',
    ]);
    const daily = groupWorkOrders(orders, 'daily');
    expect(daily).toHaveLength(5);
    expect(daily[0]!.orders[0]!.stops).toEqual([]);
  });
});
