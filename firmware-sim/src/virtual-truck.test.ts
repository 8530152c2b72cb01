import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContainerArm, ContainerEventKind, type Telemetry } from '../../gateway/src/proto/codec.js';
import { degreesPerMetre } from './geo.js';
import { generateGridTown } from './grid-town.js';
import { loadRoadNetwork, type RoadNetwork } from './road-network.js';
import { VirtualTruck, type TruckOptions } from './virtual-truck.js';

const MOSCOW_OSM = fileURLToPath(
  new URL('../../../shared/data/osm/moscow-ostankino.osm.gz', import.meta.url),
);
const START_MS = Date.UTC(2026, 10, 27, 6, 0, 0);
// GNSS noise is clamped to 12 m; a little more for the rounding to 1e-7 degrees.
const NOISE_MARGIN_M = 13;

function drive(network: RoadNetwork, options: TruckOptions, fixes: number): Telemetry[] {
  const truck = new VirtualTruck(network, options);
  return Array.from({ length: fixes }, () => truck.nextFix());
}

/** The first way the track breaks the tracker's invariants, or undefined when it keeps them all. */
function trackViolation(network: RoadNetwork, records: Telemetry[]): string | undefined {
  const perMetre = degreesPerMetre(network.bbox.maxLat);
  const { bbox } = network;
  const minLatE7 = (bbox.minLat - NOISE_MARGIN_M * perMetre.lat) * 1e7;
  const maxLatE7 = (bbox.maxLat + NOISE_MARGIN_M * perMetre.lat) * 1e7;
  const minLonE7 = (bbox.minLon - NOISE_MARGIN_M * perMetre.lon) * 1e7;
  const maxLonE7 = (bbox.maxLon + NOISE_MARGIN_M * perMetre.lon) * 1e7;
  let previous: Telemetry | undefined;
  for (const r of records) {
    const at = `seq ${r.seq}`;
    if (r.latE7 < minLatE7 || r.latE7 > maxLatE7 || r.lonE7 < minLonE7 || r.lonE7 > maxLonE7) {
      return `${at}: ${r.latE7},${r.lonE7} outside the network bbox`;
    }
    if (!((r.fuelLevelL as number) >= 0)) return `${at}: fuel level ${r.fuelLevelL}`;
    if (!(r.speedKmh >= 0 && r.speedKmh <= 65)) return `${at}: speed ${r.speedKmh}`;
    if (!(r.headingDeg >= 0 && r.headingDeg < 360)) return `${at}: heading ${r.headingDeg}`;
    if (r.satellites < 4 || !(r.hdop > 0)) return `${at}: satellites ${r.satellites}, hdop ${r.hdop}`;
    for (const event of r.containerEvents) {
      if (event.timeMs > r.timeMs || (previous && event.timeMs <= previous.timeMs)) {
        return `${at}: container event at ${event.timeMs} outside its record's interval`;
      }
    }
    if (!previous) {
      if (r.seq !== 1) return `first seq is ${r.seq}`;
    } else {
      if (r.seq !== previous.seq + 1) return `${at} follows seq ${previous.seq}`;
      if (r.timeMs <= previous.timeMs) return `${at}: time ${r.timeMs} after ${previous.timeMs}`;
      if (r.odometerM < previous.odometerM) return `${at}: odometer went back`;
      if ((r.fuelUsedTotalL as number) < (previous.fuelUsedTotalL as number))
        return `${at}: total fuel went back`;
      if ((r.engineHours as number) < (previous.engineHours as number))
        return `${at}: engine hours went back`;
    }
    previous = r;
  }
  return undefined;
}

describe('VirtualTruck', () => {
  let moscow: RoadNetwork;
  const town = generateGridTown();

  beforeAll(async () => {
    moscow = await loadRoadNetwork(MOSCOW_OSM);
  });

  it('produces a well-formed track on the grid town for any seed and rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom(100, 250, 1_000, 5_000, 30_000),
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 250, noNaN: true }),
        (seed, intervalMs, fixes, initialFuelL) => {
          const records = drive(town, { seed, startTimeMs: START_MS, intervalMs, initialFuelL }, fixes);
          expect(trackViolation(town, records)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('produces a well-formed track on the Moscow streets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 1_200 }),
        (seed, fixes) => {
          const records = drive(moscow, { seed, startTimeMs: START_MS, intervalMs: 1_000 }, fixes);
          expect(trackViolation(moscow, records)).toBeUndefined();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('never lets the tank run below zero, even when it starts nearly empty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const truck = new VirtualTruck(town, {
          seed,
          startTimeMs: START_MS,
          intervalMs: 10_000,
          initialFuelL: 0.5,
          serviceEveryMs: 3_600_000,
        });
        for (let i = 0; i < 360; i++) expect(truck.nextFix().fuelLevelL).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 20 },
    );
  });

  it('is reproducible: the same seed drives the same track', () => {
    const options = { seed: 42, startTimeMs: START_MS, intervalMs: 1_000 };
    expect(drive(moscow, options, 600)).toEqual(drive(moscow, options, 600));
    expect(drive(moscow, { ...options, seed: 43 }, 50)).not.toEqual(drive(moscow, options, 50));
  });

  it('drives at town speeds, slower on residential streets', () => {
    const records = drive(moscow, { seed: 7, startTimeMs: START_MS, intervalMs: 1_000 }, 4 * 3_600);
    const moving = records.filter((r) => r.speedKmh > 0);
    const mean = moving.reduce((sum, r) => sum + r.speedKmh, 0) / moving.length;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(45);
    expect(Math.max(...records.map((r) => r.speedKmh))).toBeLessThanOrEqual(62);
    const kmPerHour = (records.at(-1)!.odometerM - records[0]!.odometerM) / 1000 / 4;
    expect(kmPerHour).toBeGreaterThan(5);
    expect(kmPerHour).toBeLessThan(40);
  });

  it('stops at container sites and reports rear-arm lift cycles with container tags', () => {
    const truck = new VirtualTruck(moscow, {
      seed: 3,
      startTimeMs: START_MS,
      intervalMs: 1_000,
      serviceEveryMs: 3 * 60_000,
    });
    const records = Array.from({ length: 3_600 }, () => truck.nextFix());
    const events = records.flatMap((r) => r.containerEvents);
    expect(truck.stats.containerStops).toBeGreaterThan(8);
    expect(events.length).toBe(truck.stats.containerEvents);
    expect(events.length).toBeGreaterThanOrEqual(truck.stats.containerStops - 1);
    for (const event of events) {
      expect(event.kind).toBe(ContainerEventKind.LIFT_CYCLE);
      expect(event.arm).toBe(ContainerArm.REAR);
      expect(event.rfid).toMatch(/^RU-CNT-\d{6}$/);
    }
    // The arm only cycles while the truck stands.
    for (const record of records) if (record.containerEvents.length > 0) expect(record.speedKmh).toBe(0);
  });

  it('refuels when the tank runs low: the level jumps up while the engine is off', () => {
    const truck = new VirtualTruck(moscow, {
      seed: 11,
      startTimeMs: START_MS,
      intervalMs: 1_000,
      initialFuelL: 40,
      serviceEveryMs: 2 * 60_000,
    });
    const records = Array.from({ length: 3_600 }, () => truck.nextFix());
    expect(truck.stats.refuels).toBeGreaterThanOrEqual(1);
    const levels = records.map((r) => r.fuelLevelL as number);
    expect(Math.max(...levels)).toBeGreaterThan(200);
    const offAndStill = records.filter((r) => !r.ignition);
    expect(offAndStill.length).toBeGreaterThan(0);
    for (const record of offAndStill) expect(record.speedKmh).toBe(0);
    // Engine hours do not run with the ignition off.
    const firstOff = records.findIndex((r) => !r.ignition);
    let lastOff = firstOff;
    while (records[lastOff + 1] && !records[lastOff + 1]!.ignition) lastOff++;
    expect(records[lastOff]!.engineHours).toBeCloseTo(records[firstOff]!.engineHours as number, 1);
  });
});
