import type { CollectionFact, FuelEvent } from '../types.js';
import type { TruthFuelEvent, TruthVisit } from './truck-day.js';

export interface MatchScore {
  truePositives: number;
  detected: number;
  expected: number;
  precision: number;
  recall: number;
}

/**
 * Facts against the ground truth: a fact matches a true visit of the same site whose stay overlaps
 * the fact's, each true visit matched at most once. Facts that need review are left out (they are
 * not counted as served).
 */
export function scoreFacts(
  facts: readonly CollectionFact[],
  truth: readonly TruthVisit[],
  slackMs = 60_000,
): MatchScore {
  const accepted = facts.filter((fact) => !fact.needsReview);
  const used = new Set<number>();
  let truePositives = 0;
  for (const fact of accepted) {
    const index = truth.findIndex(
      (visit, i) =>
        !used.has(i) &&
        visit.siteId === fact.siteId &&
        fact.arrivalMs <= visit.departureMs + slackMs &&
        fact.departureMs >= visit.arrivalMs - slackMs,
    );
    if (index < 0) continue;
    used.add(index);
    truePositives++;
  }
  return ratio(truePositives, accepted.length, truth.length);
}

/** Fuel events of one kind against the truth: same kind, overlapping in time (± slack). */
export function scoreFuelEvents(
  events: readonly FuelEvent[],
  truth: readonly TruthFuelEvent[],
  slackMs = 5 * 60_000,
): MatchScore & { litresError: number[] } {
  const used = new Set<number>();
  const litresError: number[] = [];
  let truePositives = 0;
  for (const event of events) {
    const index = truth.findIndex(
      (t, i) =>
        !used.has(i) &&
        t.kind === event.kind &&
        event.startMs <= t.endMs + slackMs &&
        event.endMs >= t.startMs - slackMs,
    );
    if (index < 0) continue;
    used.add(index);
    truePositives++;
    const t = truth[index] as TruthFuelEvent;
    litresError.push((event.litres - t.litres) / t.litres);
  }
  return { ...ratio(truePositives, events.length, truth.length), litresError };
}

function ratio(truePositives: number, detected: number, expected: number): MatchScore {
  return {
    truePositives,
    detected,
    expected,
    precision: detected === 0 ? 1 : truePositives / detected,
    recall: expected === 0 ? 1 : truePositives / expected,
  };
}
