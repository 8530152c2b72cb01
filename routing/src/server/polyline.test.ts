import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { LonLat } from './osrm-types.js';
import { decodePolyline, encodePolyline, type PolylinePrecision } from './polyline.js';

describe('encodePolyline / decodePolyline', () => {
  it("matches Google's documented example (precision 5, lat/lon order inside)", () => {
    const points: LonLat[] = [
      [-120.2, 38.5],
      [-120.95, 40.7],
      [-126.453, 43.252],
    ];
    expect(encodePolyline(points)).toBe('_p~iF~ps|U_ulLnnqC_mqNvxq`@');
    expect(decodePolyline('_p~iF~ps|U_ulLnnqC_mqNvxq`@')).toEqual(points);
  });

  it("decodes OSRM's unit-test polyline", () => {
    // unit_tests/server/parameters_parser.cpp: polyline(_ibE?_seK_seK_seK_seK) is 0,1;2,3;4,5
    expect(decodePolyline('_ibE?_seK_seK_seK_seK')).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  });

  it('uses 1e6 for precision 6', () => {
    const points: LonLat[] = [
      [13.388799, 52.517033],
      [13.397631, 52.529432],
    ];
    const encoded = encodePolyline(points, 6);
    expect(encoded).not.toBe(encodePolyline(points, 5));
    expect(decodePolyline(encoded, 6)).toEqual(points);
  });

  it('rounds half away from zero like std::round', () => {
    expect(decodePolyline(encodePolyline([[0.000005, -0.000005]]))).toEqual([[0.00001, -0.00001]]);
  });

  it('encodes nothing as the empty string', () => {
    expect(encodePolyline([])).toBe('');
    expect(decodePolyline('')).toEqual([]);
  });

  it.each([
    ['a character below ?', '_ibE>'],
    ['a character above ~', '_ibE\u007f?'],
    ['a value cut off', '_ibE_'],
    ['a latitude without longitude', '_ibE?_seK'],
    ['a value longer than 2^50', '~~~~~~~~~~~~?'],
  ])('rejects %s with a RangeError', (_name, encoded) => {
    expect(() => decodePolyline(encoded)).toThrow(RangeError);
  });
});

const precision = fc.constantFrom<PolylinePrecision>(5, 6);
const lonLat = fc.tuple(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: -90, max: 90, noNaN: true }),
);

describe('polyline properties', () => {
  it('decode(encode(points)) is within half a unit of the input', () => {
    fc.assert(
      fc.property(fc.array(lonLat, { maxLength: 50 }), precision, (points, p) => {
        const decoded = decodePolyline(encodePolyline(points, p), p);
        expect(decoded).toHaveLength(points.length);
        const tolerance = 0.5 / 10 ** p + 1e-9;
        decoded.forEach(([lon, lat], i) => {
          const [lon0, lat0] = points[i] as LonLat;
          expect(Math.abs(lon - lon0)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(lat - lat0)).toBeLessThanOrEqual(tolerance);
        });
      }),
    );
  });

  it('points on the precision grid survive exactly, and re-encoding is stable', () => {
    const units = fc.tuple(fc.integer({ min: -180e6, max: 180e6 }), fc.integer({ min: -90e6, max: 90e6 }));
    fc.assert(
      fc.property(fc.array(units, { maxLength: 50 }), precision, (raw, p) => {
        const step = p === 6 ? 1 : 10;
        const factor = 10 ** p;
        // `+ 0` turns -0 into 0: the encoding has no negative zero.
        const points = raw.map(([x, y]): LonLat => [
          Math.trunc(x / step) / factor + 0,
          Math.trunc(y / step) / factor + 0,
        ]);
        const encoded = encodePolyline(points, p);
        const decoded = decodePolyline(encoded, p);
        expect(decoded.map(([x, y]) => [Math.round(x * factor), Math.round(y * factor)])).toEqual(
          points.map(([x, y]) => [Math.round(x * factor), Math.round(y * factor)]),
        );
        expect(encodePolyline(decoded, p)).toBe(encoded);
      }),
    );
  });

  it('decoding any string either succeeds or throws RangeError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), precision, (encoded, p) => {
        try {
          for (const [lon, lat] of decodePolyline(encoded, p)) {
            expect(Number.isFinite(lon) && Number.isFinite(lat)).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
    );
  });
});
