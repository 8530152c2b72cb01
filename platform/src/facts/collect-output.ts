import type { Anomaly, CollectionFact, FactListener, FuelEvent, Stop, Trip, Unloading } from './types.js';

export interface CollectedOutput {
  stops: Stop[];
  trips: Trip[];
  /** The latest version of each fact, in order of creation. */
  facts: CollectionFact[];
  unloadings: Unloading[];
  fuelEvents: FuelEvent[];
  anomalies: Anomaly[];
}

/** A listener that keeps everything it hears (tests, benchmark, replays into storage). */
export function collectOutput(): { output: CollectedOutput; listener: FactListener } {
  const output: CollectedOutput = {
    stops: [],
    trips: [],
    facts: [],
    unloadings: [],
    fuelEvents: [],
    anomalies: [],
  };
  const factIndex = new Map<string, number>();
  const unloadingIndex = new Map<string, number>();
  const listener: FactListener = {
    stop: (stop) => output.stops.push(stop),
    trip: (trip) => output.trips.push(trip),
    fact: (fact) => {
      const index = factIndex.get(fact.id);
      if (index === undefined) factIndex.set(fact.id, output.facts.push(fact) - 1);
      else output.facts[index] = fact;
    },
    unloading: (unloading) => {
      const index = unloadingIndex.get(unloading.id);
      if (index === undefined) unloadingIndex.set(unloading.id, output.unloadings.push(unloading) - 1);
      else output.unloadings[index] = unloading;
    },
    fuel: (event) => output.fuelEvents.push(event),
    anomaly: (anomaly) => output.anomalies.push(anomaly),
  };
  return { output, listener };
}
