import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { haversineM } from '../../../firmware-sim/src/geo.js';
import { collectOutput, type CollectedOutput } from './collect-output.js';
import { FactEngine } from './fact-engine.js';
import { PlanTracker } from './plan-tracker.js';
import { loadMoscowNetwork } from './scenario/moscow-network.js';
import { replayTruckDay } from './scenario/replay.js';
import { buildScenarioWorld, type ScenarioWorld } from './scenario/scenario-world.js';
import { scoreFacts } from './scenario/score-facts.js';
import { fixAt } from './scenario/track.js';
import { generateTruckDay, type TruckDay } from './scenario/truck-day.js';

let world: ScenarioWorld;
let day: TruckDay;

function detect(feed: (engine: FactEngine) => void): CollectedOutput {
  const { output, listener } = collectOutput();
  const engine = new FactEngine(
    { sites: world.sites, facilities: world.facilities, norms: new Map([[day.vehicleId, day.norm]]) },
    listener,
  );
  feed(engine);
  engine.flush();
  return output;
}

beforeAll(async () => {
  world = buildScenarioWorld(await loadMoscowNetwork());
  // Ten sites in a row, nearest first from the first one.
  const chosen = [world.sites[0]!];
  const pool = world.sites.slice(1);
  while (chosen.length < 10) {
    const from = chosen[chosen.length - 1]!;
    pool.sort(
      (a, b) => haversineM(from.lat, from.lon, a.lat, a.lon) - haversineM(from.lat, from.lon, b.lat, b.lon),
    );
    chosen.push(pool.shift()!);
  }
  const siteIds = chosen.map((site) => site.id);
  day = generateTruckDay(world, {
    vehicleId: 'truck-issue-5',
    seed: 5,
    startMs: Date.UTC(2025, 8, 1, 3),
    depotBeforeS: 600,
    depotAfterS: 600,
    siteIds,
    skip: new Set([siteIds[4]!]),
    unplanned: [],
    refuel: { afterIndex: 2, litres: 100 },
    parkedBreak: { afterIndex: 6, seconds: 30 * 60, drainL: 40 },
    unloadAfter: [],
    driverReportShare: 0.5,
    lateShare: 0,
  });
});

describe('issue #5 scenario: 10 sites, one skipped, one refuel, 40 L drained while parked', () => {
  it('gives exactly 9 facts, 1 missed site, 1 refuel and 1 drain with the litres right', () => {
    const output = detect((engine) => replayTruckDay(engine, day));

    expect(output.facts).toHaveLength(9);
    expect(scoreFacts(output.facts, day.truth.visits)).toMatchObject({ precision: 1, recall: 1 });
    for (const fact of output.facts) {
      expect(fact.needsReview).toBe(false);
      expect(fact.confidence).toBeGreaterThanOrEqual(0.95);
      expect(fact.liftCount).toBeGreaterThan(0);
    }
    // Facts confirmed by the driver's report reach 0.99.
    const reported = output.facts.filter((fact) => fact.evidence.some((e) => e.kind === 'driver'));
    expect(reported.length).toBe(day.driverReports.length);
    for (const fact of reported) expect(fact.confidence).toBeGreaterThanOrEqual(0.99);

    const plan = new PlanTracker([day.workOrder]);
    for (const fact of output.facts) plan.onFact(fact);
    plan.close();
    const report = plan.report();
    expect(report).toMatchObject({ served: 9, missed: 1, late: 0, pending: 0 });
    expect(report.outcomes.find((o) => o.status === 'missed')?.siteId).toBe(day.truth.skipped[0]);

    const refuels = output.fuelEvents.filter((e) => e.kind === 'refuel');
    const drains = output.fuelEvents.filter((e) => e.kind === 'drain');
    expect(refuels).toHaveLength(1);
    expect(drains).toHaveLength(1);
    const trueRefuel = day.truth.fuelEvents.find((e) => e.kind === 'refuel')!;
    const trueDrain = day.truth.fuelEvents.find((e) => e.kind === 'drain')!;
    expect(trueDrain.litres).toBeCloseTo(40, 0);
    expect(Math.abs(refuels[0]!.litres - trueRefuel.litres) / trueRefuel.litres).toBeLessThan(0.05);
    expect(Math.abs(drains[0]!.litres - trueDrain.litres) / trueDrain.litres).toBeLessThan(0.05);
    // Where and when: at the pump and at the break spot, within a minute of the truth.
    expect(haversineM(refuels[0]!.lat, refuels[0]!.lon, trueRefuel.lat, trueRefuel.lon)).toBeLessThan(20);
    expect(haversineM(drains[0]!.lat, drains[0]!.lon, trueDrain.lat, trueDrain.lon)).toBeLessThan(20);
    expect(Math.abs(refuels[0]!.startMs - trueRefuel.startMs)).toBeLessThan(60_000);
    expect(Math.abs(drains[0]!.startMs - trueDrain.startMs)).toBeLessThan(60_000);
    expect(drains[0]!.ignitionOff).toBe(true);

    expect(output.unloadings).toHaveLength(1);
    expect(output.unloadings[0]!.netKg).toBe(day.truth.unloadings[0]!.netKg);
    // Trips between stops carry fuel against the norm; the whole day sits near it.
    const measured = output.trips.filter((trip) => trip.fuel);
    const used = measured.reduce((sum, trip) => sum + trip.fuel!.usedL, 0);
    const expected = measured.reduce((sum, trip) => sum + trip.fuel!.expectedL, 0);
    expect(used / expected).toBeGreaterThan(0.8);
    expect(used / expected).toBeLessThan(1.6);
  });

  it('late, out-of-order and repeated delivery within the reorder window gives the same results', () => {
    const inOrder = detect((engine) => replayTruckDay(engine, day));
    const n = day.track.length;
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 90 }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (seed, maxDelayS, resendShare) => {
          // Each fix arrives up to maxDelayS late (under the 120 s window); some are sent twice.
          let state = seed >>> 0;
          const random = (): number => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state / 2 ** 32;
          };
          const deliveries: { at: number; i: number }[] = [];
          for (let i = 0; i < n; i++) {
            const at = day.track.timeMs[i]! + random() * maxDelayS * 1000;
            deliveries.push({ at, i });
            if (random() < resendShare) deliveries.push({ at: at + random() * 30_000, i });
          }
          // Lift events travel in the records, so they are as late as the fixes (index −1 − k).
          day.containerEvents.forEach((event, k) => {
            const at = event.timeMs + random() * maxDelayS * 1000;
            deliveries.push({ at, i: -1 - k });
            if (random() < resendShare) deliveries.push({ at: at + random() * 30_000, i: -1 - k });
          });
          deliveries.sort((a, b) => a.at - b.at);
          const shuffled = detect((engine) => {
            for (const { i } of deliveries) {
              if (i >= 0) engine.pushFix(day.vehicleId, fixAt(day.track, i));
              else engine.pushContainerEvent(day.vehicleId, day.containerEvents[-1 - i]!);
            }
            engine.flushVehicle(day.vehicleId);
            for (const report of day.driverReports) engine.pushDriverReport(report);
            for (const ticket of day.tickets) engine.pushWeighbridgeTicket(ticket);
          });
          expect(shuffled.facts).toEqual(inOrder.facts);
          expect(shuffled.fuelEvents).toEqual(inOrder.fuelEvents);
          expect(shuffled.stops).toEqual(inOrder.stops);
          expect(shuffled.trips).toEqual(inOrder.trips);
          expect(shuffled.anomalies).toEqual([]);
        },
      ),
      { numRuns: 10 },
    );
  });
});
