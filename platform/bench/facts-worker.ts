/**
 * One bench:facts worker: generates its share of the fleet's days into the cache, or loads them
 * and, on "go", runs them through fact and fuel detection and plan tracking, reporting counts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { collectOutput } from '../src/facts/collect-output.js';
import { FactEngine } from '../src/facts/fact-engine.js';
import { PlanTracker } from '../src/facts/plan-tracker.js';
import { loadMoscowNetwork } from '../src/facts/scenario/moscow-network.js';
import { replayTruckDay } from '../src/facts/scenario/replay.js';
import { buildScenarioWorld } from '../src/facts/scenario/scenario-world.js';
import { scoreFacts, scoreFuelEvents } from '../src/facts/scenario/score-facts.js';
import { generateFleetTruckDay, type TruckDay } from '../src/facts/scenario/truck-day.js';
import { loadTruckDay, saveTruckDay } from './facts-data.js';

export interface FactsWorkerInput {
  mode: 'generate' | 'detect';
  dir: string;
  seed: number;
  indices: number[];
}

export interface FactsWorkerResult {
  fixes: number;
  detectMs: number;
  facts: number;
  truePositives: number;
  expectedVisits: number;
  missed: number;
  missedTrue: number;
  planAgreement: number;
  planVisits: number;
  fuelTruePositives: number;
  fuelDetected: number;
  fuelExpected: number;
  fuelWorstError: number;
  unloadings: number;
  unloadingsWithMass: number;
}

const input = workerData as FactsWorkerInput;
const port = parentPort;
if (!port) throw new Error('facts-worker: must run in a worker thread');

const network = await loadMoscowNetwork();
const world = buildScenarioWorld(network);

if (input.mode === 'generate') {
  for (const index of input.indices) {
    if (existsSync(path.join(input.dir, `truck-${index}.json`))) continue;
    await saveTruckDay(input.dir, index, generateFleetTruckDay(world, index, { seed: input.seed }));
  }
  port.postMessage({ done: true });
} else {
  const days: TruckDay[] = [];
  for (const index of input.indices) days.push(await loadTruckDay(input.dir, index));
  port.postMessage({ ready: true });
  port.once('message', () => port.postMessage(detect(days)));
}

function detect(days: TruckDay[]): FactsWorkerResult {
  const { output, listener } = collectOutput();
  const norms = new Map(days.map((day) => [day.vehicleId, day.norm]));
  const engine = new FactEngine({ sites: world.sites, facilities: world.facilities, norms }, listener);
  const started = performance.now();
  let fixes = 0;
  for (const day of days) {
    replayTruckDay(engine, day);
    fixes += day.track.length;
  }
  engine.flush();
  // One plan per truck: the generated fleet crowds ~200 trucks onto the same 185 sites, so one
  // shared plan would credit a truck's skipped site to whichever other truck passed there.
  const reports = new Map(
    days.map((day) => {
      const tracker = new PlanTracker([day.workOrder]);
      for (const fact of output.facts) if (fact.vehicleId === day.vehicleId) tracker.onFact(fact);
      tracker.close();
      return [day.vehicleId, tracker.report()];
    }),
  );
  const detectMs = performance.now() - started;

  const result: FactsWorkerResult = {
    fixes,
    detectMs,
    facts: 0,
    truePositives: 0,
    expectedVisits: 0,
    missed: 0,
    missedTrue: 0,
    planAgreement: 0,
    planVisits: 0,
    fuelTruePositives: 0,
    fuelDetected: 0,
    fuelExpected: 0,
    fuelWorstError: 0,
    unloadings: output.unloadings.length,
    unloadingsWithMass: output.unloadings.filter((u) => u.netKg !== undefined).length,
  };
  for (const day of days) {
    const facts = output.facts.filter((fact) => fact.vehicleId === day.vehicleId);
    const score = scoreFacts(facts, day.truth.visits);
    result.facts += score.detected;
    result.truePositives += score.truePositives;
    result.expectedVisits += score.expected;
    const fuel = scoreFuelEvents(
      output.fuelEvents.filter((event) => event.vehicleId === day.vehicleId),
      day.truth.fuelEvents,
    );
    result.fuelTruePositives += fuel.truePositives;
    result.fuelDetected += fuel.detected;
    result.fuelExpected += fuel.expected;
    for (const error of fuel.litresError)
      result.fuelWorstError = Math.max(result.fuelWorstError, Math.abs(error));
    for (const outcome of reports.get(day.vehicleId)?.outcomes ?? []) {
      const expected = day.truth.planStatus.get(outcome.siteId);
      if (expected !== outcome.status && process.env['FACTS_DEBUG']) {
        process.stderr.write(
          `plan ${day.vehicleId} ${outcome.siteId}: ${outcome.status}, expected ${expected}\n`,
        );
      }
      result.planVisits++;
      if (expected === outcome.status) result.planAgreement++;
      if (outcome.status === 'missed') result.missed++;
      if (expected === 'missed') result.missedTrue++;
    }
  }
  return result;
}
