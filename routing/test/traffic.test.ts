import { describe, expect, it } from 'vitest';
import { parseSpeedFile } from '../src/traffic/speed-file.js';
import { weekSlotOf } from '../src/traffic/week-slot.js';
import { buildScenario } from './helpers/ascii-map.js';

// Monday 2026-11-30, 08:00 Moscow time (UTC+3) = 05:00 UTC.
const MONDAY_8_MSK = Date.UTC(2026, 10, 30, 5, 0) / 1000;
const MONDAY_3_MSK = Date.UTC(2026, 10, 30, 0, 0) / 1000;
const rushHour = Array.from({ length: 8 }, (_, q) => 0 * 96 + 8 * 4 + q); // Monday 08:00–09:59

describe('time-dependent travel times', () => {
  it('maps instants to 15-minute slots of the local week', () => {
    expect(weekSlotOf(MONDAY_8_MSK * 1000, 180)).toBe(32);
    expect(weekSlotOf(MONDAY_8_MSK * 1000 + 14 * 60_000, 180)).toBe(32);
    expect(weekSlotOf(MONDAY_8_MSK * 1000 + 15 * 60_000, 180)).toBe(33);
    // Sunday 23:50 local is the last slot of the week.
    expect(weekSlotOf(Date.UTC(2026, 10, 29, 20, 50), 180)).toBe(671);
  });

  it('reads OSRM speed files with our weekday/hour and slot columns', () => {
    const speeds = parseSpeedFile('# comment\n1,2,30\n2,3,15,1,8\n3,4,20,slot=5\n4,5,40,1.5\n');
    expect(speeds[0]).toEqual({ fromOsmNode: 1, toOsmNode: 2, speedKmh: 30 });
    expect(speeds[1]!.slots).toEqual([32, 33, 34, 35]);
    expect(speeds[2]!.slots).toEqual([5]);
    expect(speeds[3]!.slots).toBeUndefined();
    expect(() => parseSpeedFile('1,2')).toThrow(/line 1/);
    expect(() => parseSpeedFile('1,2,30,8,1')).toThrow(/weekday/);
    expect(() => parseSpeedFile('1,2,-3')).toThrow(/speed/);
  });

  const scenario = {
    map: `
a b c
d   e`,
    ways: [{ nodes: 'abc', tags: { highway: 'primary' } }, { nodes: 'ad' }, { nodes: 'de' }, { nodes: 'ec' }],
    // Rush hour jams the primary road between b and c.
    speeds: [{ from: 'b', to: 'c', speedKmh: 4, slots: rushHour }],
  };

  it('routes around a jam in force at the departure time, and not outside it', async () => {
    const net = await buildScenario(scenario);
    expect(await net.route('a', 'c')).toBe('abc');
    expect(await net.route('a', 'c', `&depart_at=${MONDAY_3_MSK}`)).toBe('abc');
    expect(await net.route('a', 'c', `&depart_at=${MONDAY_8_MSK}`)).toBe('ad,de,ec');
    await net.close();
  });

  it('times each piece at the speed in force when the truck enters it', async () => {
    // b is a junction (a side street), so a→b and b→c are timed separately.
    const net = await buildScenario({
      map: `
a b c
  x`,
      ways: [{ nodes: 'abc', tags: { highway: 'primary' } }, { nodes: 'bx' }],
      speeds: scenario.speeds,
    });
    const free = (await net.routeResponse('a', 'c', `&depart_at=${MONDAY_3_MSK}`)).routes[0]!;
    const jammed = (await net.routeResponse('a', 'c', `&depart_at=${MONDAY_8_MSK}`)).routes[0]!;
    // b→c is 100 m: at 4 km/h that alone is 90 s.
    expect(jammed.duration - free.duration).toBeGreaterThan(80);
    // Leaving 7:59:55, the truck reaches b (7 s later) after 8:00, so b→c is already jammed,
    // although the route was planned with the speeds of the departure slot.
    const justBefore = (await net.routeResponse('a', 'c', `&depart_at=${MONDAY_8_MSK - 5}`)).routes[0]!;
    expect(justBefore.duration).toBeGreaterThan(free.duration + 80);
    await net.close();
  });

  it('applies new speeds by customizing the metric, without re-importing the extract', async () => {
    const net = await buildScenario(scenario);
    const router = net.engine.router;
    const graphBefore = router.graph;
    const free = router.context(undefined);
    const jam = router.context(MONDAY_8_MSK * 1000);
    expect(jam).not.toBe(free);
    expect(router.graph).toBe(graphBefore);
    // Same order, new weights: the customized hierarchy keeps the base contraction order.
    expect(Array.from(jam.hierarchy.order)).toEqual(Array.from(free.hierarchy.order));
    // Cached: the next query in an equal slot reuses it.
    expect(router.context(MONDAY_8_MSK * 1000 + 60_000)).toBe(jam);
    await net.close();
  });
});
