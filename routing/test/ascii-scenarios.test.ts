import { describe, expect, it } from 'vitest';
import { buildScenario } from './helpers/ascii-map.js';

// Scenarios in the style of OSRM's cucumber features: a hand-drawn map, ways over its letters,
// and the streets a route must take. One character cell is 100 m.

describe('routing over hand-drawn maps', () => {
  it('takes the shortest way and names the streets on it', async () => {
    const net = await buildScenario({
      map: `
a b c
    d`,
      ways: [{ nodes: 'abc' }, { nodes: 'cd' }, { nodes: 'ad', tags: { highway: 'service' } }],
    });
    expect(await net.route('a', 'c')).toBe('abc');
    // The service road is shorter but slow: the truck stays on the street.
    expect(await net.route('a', 'd')).toBe('abc,cd');
    await net.close();
  });

  it('respects oneway streets in both directions', async () => {
    const net = await buildScenario({
      map: `
a b
d c`,
      ways: [
        { nodes: 'ab', tags: { oneway: 'yes' } },
        { nodes: 'bc' },
        { nodes: 'cd', tags: { oneway: 'yes' } },
        { nodes: 'ad', tags: { oneway: '-1' } },
      ],
    });
    expect(await net.route('a', 'b')).toBe('ab');
    expect(await net.route('b', 'a')).toBe('bc,cd,ad');
    // ad is drawn a→d but tagged oneway=-1: only d→a may be driven.
    expect(await net.route('a', 'd')).toBe('ab,bc,cd');
    await net.close();
  });

  it('obeys a no_left_turn restriction and an only_straight_on restriction', async () => {
    const net = await buildScenario({
      map: `
  n
w x e
  s`,
      ways: [{ nodes: 'wx' }, { nodes: 'xe' }, { nodes: 'xn' }, { nodes: 'xs' }, { nodes: 'ne' }],
      restrictions: [{ from: 'wx', via: 'x', to: 'xn', restriction: 'no_left_turn' }],
    });
    // Going west to east then north is a left turn at x: forbidden, so the truck goes round via e.
    expect(await net.route('w', 'n')).toBe('wx,xe,ne');
    expect(await net.route('s', 'n')).toBe('xs,xn');
    await net.close();

    const only = await buildScenario({
      map: `
  n
w x e
  s`,
      ways: [
        { nodes: 'wx' },
        { nodes: 'xe' },
        { nodes: 'xn' },
        { nodes: 'xs' },
        { nodes: 'se', tags: { highway: 'service' } },
      ],
      restrictions: [{ from: 'wx', via: 'x', to: 'xe', restriction: 'only_straight_on' }],
    });
    expect(await only.route('w', 's')).toBe('wx,xe,se');
    await only.close();
  });

  it('keeps a tall truck off a low bridge only when its height is given', async () => {
    const net = await buildScenario({
      map: `
a b c
d   e`,
      ways: [{ nodes: 'abc', tags: { maxheight: '3.5' } }, { nodes: 'ad' }, { nodes: 'de' }, { nodes: 'ec' }],
    });
    expect(await net.route('a', 'c')).toBe('abc');
    expect(await net.route('a', 'c', '&vehicle_height=3.4')).toBe('abc');
    expect(await net.route('a', 'c', '&vehicle_height=3.9')).toBe('ad,de,ec');
    expect(await net.route('a', 'c', '&vehicle_weight=20')).toBe('abc');
    await net.close();
  });

  it('finds no route across a blocking barrier or onto a road closed to trucks', async () => {
    const net = await buildScenario({
      map: `
a b c
    d`,
      ways: [{ nodes: 'abc' }, { nodes: 'cd', tags: { hgv: 'no' } }],
      nodeTags: { b: { barrier: 'bollard' } },
    });
    expect(await net.route('a', 'c')).toBe('no route');
    const response = await net.routeResponse('a', 'c');
    expect(response).toMatchObject({ code: 'NoRoute' });
    await net.close();
  });

  it('turns around on the same street only at a dead end', async () => {
    const net = await buildScenario({
      map: `
a   b   c`,
      ways: [{ nodes: 'abc' }],
    });
    // From b heading east (bearing 90) to a: drive to the dead end c, turn, come back.
    const response = await net.routeResponse('b', 'a', '&bearings=90,10;');
    expect(response.code).toBe('Ok');
    expect(response.routes[0]!.distance).toBeGreaterThan(550);
    expect(response.routes[0]!.legs[0]!.steps.some((s) => s.maneuver.modifier === 'uturn')).toBe(true);
    await net.close();
  });
});
