import { collectOutput, type CollectedOutput } from '../facts/collect-output.js';
import { FactEngine } from '../facts/fact-engine.js';
import { readStoredContainerEvents, readStoredFixes } from '../facts/telemetry-reader.js';
import type { ContainerEvent, Unloading } from '../facts/types.js';
import type { Database } from '../db/pool.js';
import type { FleetDirectory, TrackedVehicle } from './fleet-directory.js';

/**
 * Telemetry read before the resume point: lift events up to 30 s before a rest belong to it, and the
 * stop detector must see the rest begin. Whatever starts inside this lead-in was stored by an
 * earlier run with its full context and is not saved again.
 */
export const LEAD_IN_MS = 2 * 60_000;

export interface VehicleRunResult {
  /** Items that start at or after the resume point (the ones to store). */
  output: CollectedOutput;
  /** Where the next run starts: the newest point at which the detector's state is empty. */
  resumeMs: number;
  /** Whether the body is loaded at `resumeMs`. */
  loaded: boolean;
  fixes: number;
}

/**
 * One vehicle's detection from `resumeMs` up to `untilMs`, without flushing: only what the engine
 * reports as certain comes out; the open stop or trip stays for a later run. Being a pure function of
 * the stored telemetry after the resume point, running it twice gives the same items (upserted by
 * their deterministic ids), and a restart loses nothing because the resume point is in the database.
 */
export async function runVehicle(
  db: Database,
  directory: FleetDirectory,
  vehicle: TrackedVehicle,
  resume: { resumeMs: number; loaded: boolean },
  untilMs: number,
): Promise<VehicleRunResult> {
  const { resumeMs } = resume;
  const { output, listener } = collectOutput();
  const engine = new FactEngine(
    {
      sites: directory.sites,
      facilities: directory.facilities,
      norms: new Map([[vehicle.vehicleId, vehicle.norm]]),
      loaded: new Set(resume.loaded ? [vehicle.vehicleId] : []),
    },
    listener,
  );
  const fromMs = resumeMs - LEAD_IN_MS;
  const events = await readStoredContainerEvents(db, vehicle.deviceId, fromMs, untilMs);
  let e = 0;
  let fixes = 0;
  for await (const page of readStoredFixes(db, vehicle.deviceId, fromMs, untilMs)) {
    for (const fix of page) {
      while (e < events.length && (events[e] as ContainerEvent).timeMs <= fix.timeMs) {
        engine.pushContainerEvent(vehicle.vehicleId, events[e++] as ContainerEvent);
      }
      engine.pushFix(vehicle.vehicleId, fix);
    }
    fixes += page.length;
  }
  while (e < events.length) engine.pushContainerEvent(vehicle.vehicleId, events[e++] as ContainerEvent);
  // Driver-only facts wait for the vehicle's data to pass them; none come from telemetry here.

  // A stop begins with an empty detector state (no open rest, no pending trip), so the newest stop
  // start the engine has committed to is a safe place to start again: a stop is reported when it
  // ends, a trip when the next stop is confirmed (and a trip ends where that stop starts).
  let next = resumeMs;
  for (const stop of output.stops) next = Math.max(next, stop.startMs);
  for (const trip of output.trips) next = Math.max(next, trip.endMs);

  const from = (startMs: number): boolean => startMs >= resumeMs;
  const unloadings = output.unloadings.filter((u) => from(u.arrivalMs));
  return {
    output: {
      stops: output.stops.filter((s) => from(s.startMs)),
      trips: output.trips.filter((t) => from(t.startMs)),
      facts: output.facts.filter((f) => from(f.arrivalMs)),
      unloadings,
      fuelEvents: output.fuelEvents.filter((f) => from(f.startMs)),
      anomalies: output.anomalies,
    },
    resumeMs: next,
    loaded: loadedAt(resume, next, events, unloadings),
    fixes,
  };
}

/**
 * The body's state at `atMs`, as the tracker keeps it: a lift loads it, an unloading (at its
 * departure) empties it; starting from the state at the previous resume point.
 */
function loadedAt(
  resume: { resumeMs: number; loaded: boolean },
  atMs: number,
  events: readonly ContainerEvent[],
  unloadings: readonly Unloading[],
): boolean {
  const changes: { timeMs: number; loaded: boolean }[] = [
    ...events
      .filter((e) => e.kind === 'lift' && e.timeMs >= resume.resumeMs && e.timeMs < atMs)
      .map((e) => ({ timeMs: e.timeMs, loaded: true })),
    ...unloadings.filter((u) => u.departureMs < atMs).map((u) => ({ timeMs: u.departureMs, loaded: false })),
  ].sort((a, b) => a.timeMs - b.timeMs);
  return changes.length > 0 ? (changes[changes.length - 1] as { loaded: boolean }).loaded : resume.loaded;
}
