import { beforeAll, describe, expect, it } from 'vitest';
import { haversineM } from '../../../../firmware-sim/src/geo.js';
import { loadMoscowNetwork } from './moscow-network.js';
import { buildScenarioWorld, type ScenarioWorld } from './scenario-world.js';
import { generateFleetTruckDay } from './truck-day.js';

let world: ScenarioWorld;

beforeAll(async () => {
  world = buildScenarioWorld(await loadMoscowNetwork());
});

describe('scenario generator', () => {
  it('places sites, facilities and break spots apart, on the real Moscow road network', () => {
    expect(world.network.source).toBe('osm:moscow-ostankino.osm.gz');
    expect(world.sites.length).toBeGreaterThan(150);
    const places = [...world.sites, ...world.facilities, ...world.fuelStations, ...world.breakSpots];
    for (let i = 0; i < places.length; i++) {
      for (let j = i + 1; j < places.length; j++) {
        const a = places[i]!;
        const b = places[j]!;
        expect(haversineM(a.lat, a.lon, b.lat, b.lon)).toBeGreaterThan(80);
      }
    }
  });

  it('drives a whole day at 1 Hz, the same for the same seed, stopping where the truth says', () => {
    const day = generateFleetTruckDay(world, 3);
    const again = generateFleetTruckDay(world, 3);
    expect(again.track.lon).toEqual(day.track.lon);
    const { track } = day;
    expect(track.length).toBe(24 * 3600 - 1);
    for (let i = 1; i < track.length; i++) expect(track.timeMs[i]! - track.timeMs[i - 1]!).toBe(1000);
    expect(day.truth.visits.length).toBeGreaterThan(30);
    expect(day.truth.visits.filter((v) => !v.planned)).toHaveLength(2);
    expect(day.truth.fuelEvents.filter((e) => e.kind === 'refuel')).toHaveLength(1);
    const siteById = new Map(world.sites.map((site) => [site.id, site]));
    for (const visit of day.truth.visits) {
      const i = (visit.arrivalMs - track.timeMs[0]!) / 1000 + 30;
      const site = siteById.get(visit.siteId)!;
      // GNSS error is clamped to 15 m, the site's point lies 5–15 m from the road.
      expect(haversineM(track.lat[i]!, track.lon[i]!, site.lat, site.lon)).toBeLessThan(45);
    }
    expect(day.workOrder.visits).toHaveLength(day.truth.planStatus.size);
  });
});
