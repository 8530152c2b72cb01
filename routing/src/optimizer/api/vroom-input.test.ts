import { describe, expect, it } from 'vitest';
import { OptimizerInputError, parseInput } from './optimizer-error.js';
import { customTravelMatrix, layoutVroomInput, vroomInputSchema, vroomToProblem } from './vroom-input.js';

const matrix = [
  [0, 10, 20],
  [10, 0, 10],
  [20, 10, 0],
];

function convert(input: unknown) {
  const parsed = parseInput(vroomInputSchema, input);
  const layout = layoutVroomInput(parsed);
  return { layout, problem: vroomToProblem(parsed, layout, customTravelMatrix(parsed, layout)) };
}

function refusal(input: unknown): OptimizerInputError {
  try {
    convert(input);
  } catch (error) {
    if (error instanceof OptimizerInputError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('VROOM input → PlanProblem', () => {
  it('reads jobs, vehicles, breaks, costs and custom matrices', () => {
    const { problem, layout } = convert({
      vehicles: [
        {
          id: 7,
          start_index: 0,
          end_index: 0,
          capacity: [4, 100],
          skills: [1, 14],
          time_window: [100, 1000],
          breaks: [
            { id: 3, service: 60, time_windows: [[500, 600]] },
            { id: 2, service: 30, time_windows: [[200, 300]] },
          ],
          costs: { fixed: 50, per_hour: 7200, per_km: 2 },
          max_tasks: 5,
        },
      ],
      jobs: [
        { id: 1, location_index: 1, pickup: [1, 20], service: 30, setup: 5, skills: [14], priority: 3 },
        {
          id: 2,
          location_index: 2,
          time_windows: [
            [400, 500],
            [100, 200],
          ],
        },
      ],
      matrices: { car: { durations: matrix, distances: matrix.map((row) => row.map((x) => x * 10)) } },
    });
    expect(layout.indexed).toBe(true);
    expect(layout.breakIds).toEqual([[2, 3]]);
    const vehicle = problem.vehicles[0]!;
    expect(vehicle).toMatchObject({
      id: '7',
      start: 0,
      end: 0,
      capacity: [4, 100],
      skills: ['1', '14'],
      shift: [100, 1000],
      maxJobs: 5,
      costs: { fixed: 50, perSecond: 2, perMetre: 0.002 },
    });
    expect(vehicle.breaks).toEqual([
      { duration: 30, earliestStart: 200, latestStart: 300 },
      { duration: 60, earliestStart: 500, latestStart: 600 },
    ]);
    expect(problem.jobs[0]).toMatchObject({ amount: [1, 20], service: 35, skills: ['14'], priority: 3 });
    expect(problem.jobs[1]!.windows).toEqual([
      [100, 200],
      [400, 500],
    ]);
    expect(problem.travel.duration[1 * 3 + 2]).toBe(10);
    expect(problem.travel.distance[0 * 3 + 2]).toBe(200);
    expect(problem.objective).toBe('cost');
  });

  it('reads max_distance and max_travel_time as per-shift limits', () => {
    const { problem } = convert({
      vehicles: [
        { id: 1, start_index: 0, max_distance: 250, max_travel_time: 30 },
        { id: 2, start_index: 0 },
      ],
      jobs: [{ id: 1, location_index: 1 }],
      matrices: { car: { durations: matrix, distances: matrix.map((row) => row.map((x) => x * 10)) } },
    });
    expect(problem.vehicles[0]).toMatchObject({ maxDistance: 250, maxTravelTime: 30 });
    expect(problem.vehicles[1]!.maxDistance).toBeUndefined();
  });

  it('gives open routes a free point reached from anywhere at no cost', () => {
    const { problem, layout } = convert({
      vehicles: [{ id: 1, start_index: 2 }],
      jobs: [{ id: 1, location_index: 1 }],
      matrices: { car: { durations: matrix } },
    });
    expect(layout.freeLocation).toBe(3);
    expect(problem.vehicles[0]!.end).toBe(3);
    expect(problem.travel.locationCount).toBe(4);
    expect(problem.travel.duration[1 * 4 + 3]).toBe(0);
    expect(problem.travel.duration[2 * 4 + 1]).toBe(10);
  });

  it('refuses what the model cannot express, clearly', () => {
    const base = { vehicles: [{ id: 1, start_index: 0 }], matrices: { car: { durations: matrix } } };
    expect(
      refusal({ ...base, shipments: [{ pickup: { id: 1 }, delivery: { id: 2 } }] }).toBody(),
    ).toMatchObject({
      code: 'Unsupported',
      message: expect.stringContaining('shipments'),
      message_en: expect.stringContaining('shipments'),
    });
    expect(refusal({ ...base, jobs: [{ id: 1, location_index: 1, delivery: [1] }] }).code).toBe(
      'Unsupported',
    );
    expect(refusal({ vehicles: [{ id: 1, start_index: 0, steps: [] }], matrix }).message).toContain('steps');
    expect(refusal({ vehicles: [{ id: 1, start_index: 0, max_distance: 10 }], matrix }).message).toContain(
      'max_distance needs a distances matrix',
    );
    expect(refusal({ ...base, jobs: [{ id: 1, location_index: 5 }] }).message).toContain(
      'outside the 3×3 matrix',
    );
    expect(
      refusal({
        ...base,
        jobs: [
          { id: 1, location_index: 1 },
          { id: 1, location_index: 2 },
        ],
      }).message,
    ).toContain('duplicate id');
    expect(refusal({ vehicles: [{ id: 1, start: [37.6, 55.8] }], jobs: [{ id: 1 }] }).message).toContain(
      'location is required',
    );
  });
});
