import { describe, expect, it } from 'vitest';
import { parseLengthM, parseSpeedKmh, parseWeightT } from './parse-units.js';
import { fitsLimits, parseTurnRestriction, profileWay, RoadClass } from './truck-profile.js';

describe('truck profile', () => {
  it('drives ordinary roads both ways at class speeds, slower than posted limits', () => {
    const primary = profileWay({ highway: 'primary', name: 'проспект Мира' })!;
    expect(primary).toMatchObject({
      forwardKmh: 50,
      backwardKmh: 50,
      roadClass: RoadClass.primary,
      name: 'проспект Мира',
    });
    expect(profileWay({ highway: 'residential', maxspeed: '20' })!.forwardKmh).toBe(18);
    expect(profileWay({ highway: 'residential', maxspeed: 'RU:living_street' })!.forwardKmh).toBe(18);
    expect(profileWay({ highway: 'motorway', maxspeed: '130' })!.forwardKmh).toBe(85);
  });

  it('honours oneways, including implied ones', () => {
    expect(profileWay({ highway: 'residential', oneway: 'yes' })).toMatchObject({ backwardKmh: 0 });
    expect(profileWay({ highway: 'residential', oneway: '-1' })).toMatchObject({ forwardKmh: 0 });
    expect(profileWay({ highway: 'primary', junction: 'roundabout' })).toMatchObject({
      backwardKmh: 0,
      isRoundabout: true,
    });
    expect(profileWay({ highway: 'motorway_link' })).toMatchObject({ backwardKmh: 0 });
    expect(profileWay({ highway: 'motorway', oneway: 'no' })!.backwardKmh).toBeGreaterThan(0);
  });

  it('keeps trucks off roads closed to them and admits yards slowly', () => {
    const closedToTrucks: Record<string, string>[] = [
      { highway: 'footway' },
      { highway: 'cycleway' },
      { highway: 'residential', hgv: 'no' },
      { highway: 'residential', access: 'no' },
      { highway: 'residential', motor_vehicle: 'no' },
      { highway: 'track' },
      { highway: 'service', service: 'drive-through' },
      { highway: 'pedestrian', area: 'yes' },
    ];
    for (const tags of closedToTrucks) {
      expect(profileWay(tags), JSON.stringify(tags)).toBeUndefined();
    }
    // The most specific tag wins: hgv=yes opens a road closed to other traffic.
    expect(profileWay({ highway: 'residential', access: 'no', hgv: 'yes' })).toBeDefined();
    expect(profileWay({ highway: 'service', service: 'parking_aisle' })!.forwardKmh).toBe(12);
    expect(profileWay({ highway: 'service', access: 'private' })!.forwardKmh).toBe(6);
    expect(profileWay({ highway: 'track', tracktype: 'grade1' })).toBeDefined();
  });

  it('keeps size and weight limits for query-time vehicle checks', () => {
    const bridge = profileWay({ highway: 'secondary', maxheight: '3.5', maxweight: '10 t' })!;
    expect(bridge.limits).toMatchObject({ maxHeightM: 3.5, maxWeightT: 10, maxLengthM: Infinity });
    expect(fitsLimits(bridge.limits!, { heightM: 3.6 })).toBe(false);
    expect(fitsLimits(bridge.limits!, { heightM: 3.4, weightT: 9.9 })).toBe(true);
    expect(fitsLimits(bridge.limits!, {})).toBe(true);
    expect(profileWay({ highway: 'secondary' })!.limits).toBeUndefined();
  });

  it('reads turn restrictions that bind trucks', () => {
    const members = [
      { type: 'way', ref: 1, role: 'from' },
      { type: 'node', ref: 5, role: 'via' },
      { type: 'way', ref: 2, role: 'to' },
    ];
    expect(parseTurnRestriction({ type: 'restriction', restriction: 'no_left_turn' }, members)).toEqual({
      kind: 'no',
      fromWay: 1,
      viaNode: 5,
      toWay: 2,
    });
    expect(
      parseTurnRestriction({ type: 'restriction', restriction: 'only_straight_on' }, members),
    ).toMatchObject({ kind: 'only' });
    expect(
      parseTurnRestriction({ type: 'restriction:hgv', 'restriction:hgv': 'no_u_turn' }, members),
    ).toMatchObject({ kind: 'no' });
    expect(
      parseTurnRestriction({ type: 'restriction', restriction: 'no_left_turn', except: 'hgv;psv' }, members),
    ).toBeUndefined();
    expect(
      parseTurnRestriction({ type: 'restriction', restriction: 'no_left_turn' }, [
        { type: 'way', ref: 1, role: 'from' },
        { type: 'way', ref: 3, role: 'via' },
        { type: 'way', ref: 2, role: 'to' },
      ]),
    ).toBe('via-way');
  });
});

describe('unit parsers', () => {
  it('reads the forms mappers use', () => {
    expect(parseSpeedKmh('60')).toBe(60);
    expect(parseSpeedKmh('30 mph')).toBeCloseTo(48.28, 2);
    expect(parseSpeedKmh('RU:urban')).toBe(60);
    expect(parseSpeedKmh('none')).toBeUndefined();
    expect(parseLengthM('3.5')).toBe(3.5);
    expect(parseLengthM('3,8 m')).toBe(3.8);
    expect(parseLengthM(`11'6"`)).toBe(3.51);
    expect(parseLengthM('default')).toBeUndefined();
    expect(parseWeightT('7.5')).toBe(7.5);
    expect(parseWeightT('12000 kg')).toBe(12);
    expect(parseWeightT('-1')).toBeUndefined();
  });
});
