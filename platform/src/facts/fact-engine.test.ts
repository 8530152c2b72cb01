import { describe, expect, it } from 'vitest';
import { collectOutput } from './collect-output.js';
import { FactEngine } from './fact-engine.js';
import { LAT_DEGREES_PER_METRE, lonDegreesPerMetre } from './geo.js';
import { FixWriter, ORIGIN } from './test-fixes.js';
import type { Facility, Site } from './types.js';

const dLon = lonDegreesPerMetre(ORIGIN.lat);
// The FixWriter drives east from ORIGIN at y = 0: a site at x = 1200 m, a facility at x = 3000 m.
const site: Site = {
  id: 'site-1',
  lon: ORIGIN.lon + 1200 * dLon,
  lat: ORIGIN.lat + 8 * LAT_DEGREES_PER_METRE,
  radiusM: 30,
};
const facility: Facility = { id: 'landfill', lon: ORIGIN.lon + 3000 * dLon, lat: ORIGIN.lat, radiusM: 60 };

function dayWithOneSite(serviceS: number): FixWriter {
  // 1200 m at 36 km/h, serve, drive on to the facility, unload for 10 min, drive away.
  return new FixWriter().drive(120, 36).park(serviceS).drive(180, 36).park(600).drive(60, 36);
}

describe('FactEngine', () => {
  it('merges lifts and a late driver report into one fact, and a late ticket into the unloading', () => {
    const w = dayWithOneSite(120);
    const serviceStart = w.fixes[119]!.timeMs;
    const { output, listener } = collectOutput();
    const engine = new FactEngine({ sites: [site], facilities: [facility] }, listener);
    for (const fix of w.fixes) {
      engine.pushFix('truck-1', fix);
      if (fix.timeMs === serviceStart + 20_000)
        engine.pushContainerEvent('truck-1', { timeMs: fix.timeMs, kind: 'lift', rfid: 'T1' });
    }
    engine.flush();
    expect(output.facts).toHaveLength(1);
    expect(output.facts[0]).toMatchObject({
      siteId: 'site-1',
      liftCount: 1,
      confidence: 0.95,
      needsReview: false,
    });

    engine.pushDriverReport({
      id: 'r1',
      vehicleId: 'truck-1',
      timeMs: serviceStart + 60_000,
      lon: site.lon,
      lat: site.lat,
      containerCount: 3,
      photoId: 'p1',
    });
    expect(output.facts[0]).toMatchObject({ confidence: 0.99, containerCount: 3 });
    expect(output.facts[0]!.evidence.map((e) => e.kind)).toEqual(['gnss-stop', 'lift', 'driver']);

    expect(output.unloadings).toHaveLength(1);
    expect(output.unloadings[0]!.netKg).toBeUndefined();
    engine.pushWeighbridgeTicket({
      id: 't1',
      facilityId: 'landfill',
      vehicleId: 'truck-1',
      timeMs: serviceStart + 600_000,
      netKg: 5400,
    });
    expect(output.unloadings[0]).toMatchObject({ facilityId: 'landfill', netKg: 5400, ticketId: 't1' });
  });

  it('a stop in the geofence without lifts is a fact only when long enough; a report alone needs review', () => {
    const short = collectOutput();
    const engine = new FactEngine({ sites: [site] }, short.listener);
    for (const fix of dayWithOneSite(60).fixes) engine.pushFix('truck-1', fix);
    engine.pushDriverReport({
      id: 'r9',
      vehicleId: 'truck-1',
      siteId: 'site-1',
      timeMs: 0,
      lon: 0,
      lat: 0,
      containerCount: 1,
    });
    engine.flush();
    expect(short.output.facts).toHaveLength(1);
    expect(short.output.facts[0]).toMatchObject({ id: 'driver:r9', needsReview: true, confidence: 0.3 });

    const long = collectOutput();
    const engine2 = new FactEngine({ sites: [site] }, long.listener);
    for (const fix of dayWithOneSite(150).fixes) engine2.pushFix('truck-1', fix);
    engine2.flush();
    expect(long.output.facts.map((f) => [f.siteId, f.confidence])).toEqual([['site-1', 0.6]]);
  });

  it('a silent tracker at the site is a stop; lifts at a pause too short for a stop still make a fact', () => {
    for (const [pause, expected] of [
      ['gap', 0.95],
      ['short', 0.875],
    ] as const) {
      const w = new FixWriter().drive(120, 36);
      const at = w.timeMs;
      if (pause === 'gap') w.silence(300);
      else w.park(20);
      w.drive(60, 36);
      const { output, listener } = collectOutput();
      const engine = new FactEngine({ sites: [site] }, listener);
      for (const fix of w.fixes) {
        engine.pushFix('truck-1', fix);
        if (fix.timeMs === at) {
          engine.pushContainerEvent('truck-1', { timeMs: at + 1, kind: 'lift' });
          engine.pushContainerEvent('truck-1', { timeMs: at + 15_000, kind: 'lift' });
        }
      }
      engine.flush();
      expect(output.facts.map((f) => [f.siteId, f.liftCount, f.confidence])).toEqual([
        ['site-1', 2, expected],
      ]);
    }
  });

  it('a level jump between two stops is a refuel only when the tracker was silent on the way', () => {
    for (const silent of [true, false]) {
      const w = new FixWriter().drive(30, 36).park(90, () => 80);
      if (silent) w.silence(900, 3000);
      else w.drive(60, 36, 80);
      w.park(90, () => 150).drive(30, 36);
      const { output, listener } = collectOutput();
      const engine = new FactEngine({ sites: [] }, listener);
      for (const fix of w.fixes) engine.pushFix('truck-1', fix);
      engine.flush();
      const refuels = output.fuelEvents.map((e) => [e.kind, e.seen, Math.round(e.litres)]);
      expect(refuels).toEqual(silent ? [['refuel', 'gap', 70]] : []);
    }
  });
});
