import { describe, expect, it } from 'vitest';
import { OptimizerInputError, parseInput } from './optimizer-error.js';
import { layoutPlanRequest, planRequestToProblem } from './plan-request-to-problem.js';
import { planRequestSchema, type PlanRequestInput } from './plan-request-schema.js';

const DEPOT: [number, number] = [37.61, 55.8];
const LANDFILL: [number, number] = [37.65, 55.8];

function request(overrides: Partial<PlanRequestInput> = {}): PlanRequestInput {
  return {
    vehicles: [
      {
        id: 'truck-1',
        carrier_id: 'carrier-1',
        start: DEPOT,
        shift: { from: '2026-12-01T05:30:00Z', to: '2026-12-01T14:00:00Z' },
        body: { volume_m3: 16, compaction_ratio: 4, max_payload_kg: 8000 },
        skills: ['rear-loader'],
        breaks: [{ duration_s: 1800, earliest: '2026-12-01T09:00:00+03:00', latest: '2026-12-01T10:00:00Z' }],
        fuel: {
          tank_l: 200,
          level_l: 120,
          reserve_l: 20,
          consumption_l_per_100km: { empty: 30, loaded: 50 },
          idle_l_per_hour: 3.6,
        },
        costs: { fixed: 3000, per_km: 40, per_hour: 720 },
        max_shift_hours: 10,
      },
      {
        id: 'truck-2',
        start: DEPOT,
        end: LANDFILL,
        shift: { from: '2026-12-01T06:00:00Z', to: '2026-12-01T14:00:00Z' },
        body: { volume_m3: 10, compaction_ratio: 2 },
      },
    ],
    sites: [
      {
        id: 'site-1',
        location: [37.62, 55.81],
        containers: [
          { count: 3, volume_m3: 1.1, fill: 0.8 },
          { count: 1, volume_m3: 8 },
        ],
        density_kg_m3: 100,
        windows: [
          { from: '2026-12-01T10:00:00Z', to: '2026-12-01T11:00:00Z' },
          { from: '2026-12-01T06:00:00Z', to: '2026-12-01T07:00:00Z' },
          { from: '2026-12-01T06:30:00Z', to: '2026-12-01T08:00:00Z' },
        ],
        allowed_vehicles: ['truck-2'],
        release_at: '2026-12-01T07:00:00Z',
      },
      { id: 'site-2', location: DEPOT, containers: [{ count: 2, volume_m3: 0.75 }], waste_type: 'msw' },
    ],
    facilities: [{ id: 'landfill', kind: 'landfill', location: LANDFILL, accepts: ['msw'], service_s: 600 }],
    fuel_stations: [{ id: 'azs', source: 'osm', osm_id: 123, location: [37.63, 55.8] }],
    ...overrides,
  };
}

const emptyTravel = (n: number) => ({
  locationCount: n,
  distance: new Float64Array(n * n),
  duration: new Float64Array(n * n),
});

describe('our JSON → PlanProblem', () => {
  it('keeps a truck’s committed stops (mid-day re-planning) as fixed stops, and rejects unknown ones', () => {
    const base = request();
    const committed = request({
      vehicles: [
        {
          ...base.vehicles![0]!,
          committed_stops: [
            { kind: 'site', id: 'site-2' },
            { kind: 'fuel_station', id: 'azs' },
            { kind: 'facility', id: 'landfill' },
          ],
        },
        base.vehicles![1]!,
      ],
    });
    const parsed = parseInput(planRequestSchema, committed);
    const layout = layoutPlanRequest(parsed);
    const problem = planRequestToProblem(parsed, layout, emptyTravel(layout.coordinates.length));
    expect(problem.vehicles[0]!.fixedStops).toEqual([
      { kind: 'job', index: 1 },
      { kind: 'facility', index: 1 },
      { kind: 'facility', index: 0 },
    ]);
    const unknown = request({
      vehicles: [{ ...base.vehicles![0]!, committed_stops: [{ kind: 'site', id: 'nope' }] }],
    });
    const bad = parseInput(planRequestSchema, unknown);
    expect(() => planRequestToProblem(bad, layoutPlanRequest(bad), emptyTravel(4))).toThrow(
      OptimizerInputError,
    );
  });

  it('lays out distinct locations and the clock', () => {
    const layout = layoutPlanRequest(parseInput(planRequestSchema, request()));
    // depot, landfill (truck-2 end), site-1, azs; site-2 shares the depot's point.
    expect(layout.coordinates).toEqual([DEPOT, LANDFILL, [37.62, 55.81], [37.63, 55.8]]);
    expect(new Date(layout.epochS * 1000).toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(layout.horizonS).toBe(9 * 3600);
    expect(layout.referenceRatio).toBe(4);
  });

  it('converts containers, compaction, windows, fuel and costs into model units', () => {
    const parsed = parseInput(planRequestSchema, request());
    const layout = layoutPlanRequest(parsed);
    const problem = planRequestToProblem(parsed, layout, emptyTravel(layout.coordinates.length));
    const [site1, site2] = problem.jobs;
    // 3 × 1.1 × 0.8 + 8 = 10.64 loose m³ → 2.66 m³ at ratio 4, 1064 kg.
    expect(site1!.amount[0]).toBeCloseTo(2.66, 9);
    expect(site1!.amount[1]).toBeCloseTo(1064, 9);
    expect(site1!.service).toBe(4 * 45);
    // Windows sorted and overlapping ones merged; times from the epoch (05:00Z).
    expect(site1!.windows).toEqual([
      [3600, 3 * 3600],
      [5 * 3600, 6 * 3600],
    ]);
    expect(site1!.release).toBe(2 * 3600);
    expect(site1!.allowedVehicles).toEqual([1]);
    expect(site2!.location).toBe(0);
    expect(site2!.wasteType).toBe('msw');
    const [truck1, truck2] = problem.vehicles;
    expect(truck1!.capacity).toEqual([16, 8000]);
    // Ratio 2 against the reference 4: its 10 m³ hold what 5 reference m³ do.
    expect(truck2!.capacity).toEqual([5, Infinity]);
    expect(truck2!.end).toBe(1);
    expect(truck1!.shift).toEqual([1800, 9 * 3600]);
    // 09:00+03:00 = 06:00Z.
    expect(truck1!.breaks).toEqual([{ duration: 1800, earliestStart: 3600, latestStart: 5 * 3600 }]);
    expect(truck1!.fuel).toEqual({
      tankL: 200,
      initialL: 120,
      reserveL: 20,
      perMetreEmpty: 0.0003,
      perMetreLoaded: 0.0005,
      idlePerSecond: 0.001,
    });
    expect(truck1!.costs).toEqual({ fixed: 3000, perMetre: 0.04, perSecond: 0.2 });
    expect(truck1!.maxDuration).toBe(36_000);
    expect(truck1!.mustEndEmpty).toBe(true);
    expect(problem.facilities.map((f) => [f.kind, f.location, f.service, f.secondsPerLitre])).toEqual([
      ['disposal', 1, 600, 0],
      ['fuel', 3, 300, 2],
    ]);
  });

  it('answers bad input in Russian and English, naming the field', () => {
    const bad = request();
    bad.vehicles[0]!.shift.from = '2026-12-01 05:30';
    const error = catchError(() => parseInput(planRequestSchema, bad));
    expect(error.code).toBe('InvalidInput');
    expect(error.toBody().message).toMatch(/^Ошибка во входных данных, поле vehicles\[0\]\.shift\.from/);
    expect(error.toBody().message_en).toMatch(/^Invalid input at vehicles\[0\]\.shift\.from/);

    const unknownVehicle = parseInput(
      planRequestSchema,
      request({
        sites: [
          { id: 's', location: DEPOT, containers: [{ count: 1, volume_m3: 1 }], allowed_vehicles: ['x'] },
        ],
      }),
    );
    const layout = layoutPlanRequest(unknownVehicle);
    const unknown = catchError(() => planRequestToProblem(unknownVehicle, layout, emptyTravel(4)));
    expect(unknown.toBody()).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('неизвестная машина x'),
    });

    const duplicate = parseInput(
      planRequestSchema,
      request({ facilities: [{ id: 'azs', kind: 'landfill', location: LANDFILL }] }),
    );
    expect(catchError(() => layoutPlanRequest(duplicate)).messageRu).toContain('Повторяющийся идентификатор');
  });
});

function catchError(run: () => unknown): OptimizerInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof OptimizerInputError) return error;
    throw error;
  }
  throw new Error('expected an OptimizerInputError');
}
