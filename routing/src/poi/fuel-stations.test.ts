import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findFuelStations, fuelStationsGeoJson, parseDailyHours } from './fuel-stations.js';

const moscow = fileURLToPath(new URL('../../../../shared/data/osm/moscow-ostankino.osm.gz', import.meta.url));

describe('fuel stations from OSM', () => {
  it('finds the Ostankino extract’s stations, as nodes and as outlines, inside the extract', async () => {
    const stations = await findFuelStations(moscow);
    expect(stations.length).toBe(11);
    expect(stations.filter((s) => s.osmId.startsWith('way/'))).toHaveLength(3);
    expect(stations.filter((s) => s.diesel === 'yes')).toHaveLength(4);
    for (const s of stations) {
      expect(s.lon).toBeGreaterThan(37.5);
      expect(s.lon).toBeLessThan(37.75);
      expect(s.lat).toBeGreaterThan(55.75);
      expect(s.lat).toBeLessThan(55.9);
    }
    const geojson = fuelStationsGeoJson(stations);
    expect(geojson.features[0]!.geometry.coordinates).toEqual([stations[0]!.lon, stations[0]!.lat]);
  });

  it('reads simple daily opening hours and leaves the rest to callers', () => {
    expect(parseDailyHours('Mo-Su 07:00-23:00')).toEqual([25_200, 82_800]);
    expect(parseDailyHours('06:30-22:00')).toEqual([23_400, 79_200]);
    expect(parseDailyHours('24/7')).toBeNull();
    expect(parseDailyHours('Mo-Fr 08:00-20:00; Sa 09:00-14:00')).toBeNull();
    expect(parseDailyHours('22:00-06:00')).toBeNull();
  });
});
