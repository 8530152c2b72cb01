import type { LonLat } from './osrm-types.js';

/**
 * Google's encoded polyline algorithm, as OSRM uses it for `polyline(...)`/`polyline6(...)` inputs and
 * `geometries=polyline|polyline6` outputs. Inside the encoding each point is latitude then longitude;
 * our arrays are `[lon, lat]` like OSRM's JSON.
 *
 * Arithmetic instead of 32-bit bitwise operators, so values far outside ±180° (garbage input, or a
 * delta between antipodes at precision 6) cannot wrap around.
 */

export type PolylinePrecision = 5 | 6;

/** Encodes `[lon, lat]` pairs. Values are rounded half away from zero, like OSRM's `std::round`. */
export function encodePolyline(coordinates: readonly LonLat[], precision: PolylinePrecision = 5): string {
  const factor = precision === 6 ? 1e6 : 1e5;
  let out = '';
  let previousLat = 0;
  let previousLon = 0;
  for (const [lon, lat] of coordinates) {
    const latUnits = roundHalfAwayFromZero(lat * factor);
    const lonUnits = roundHalfAwayFromZero(lon * factor);
    out += encodeSigned(latUnits - previousLat) + encodeSigned(lonUnits - previousLon);
    previousLat = latUnits;
    previousLon = lonUnits;
  }
  return out;
}

/**
 * Decodes to `[lon, lat]` pairs. Throws `RangeError` on a character outside the alphabet ('?'..'~'),
 * a value cut off mid-way, a latitude without its longitude, or a value too long to be exact.
 */
export function decodePolyline(encoded: string, precision: PolylinePrecision = 5): LonLat[] {
  const factor = precision === 6 ? 1e6 : 1e5;
  const coordinates: LonLat[] = [];
  let index = 0;
  let lat = 0;
  let lon = 0;
  while (index < encoded.length) {
    const latDelta = readSigned(encoded, index);
    index = latDelta.next;
    if (index >= encoded.length) {
      throw new RangeError(`Polyline ends after a latitude at character ${index}`);
    }
    const lonDelta = readSigned(encoded, index);
    index = lonDelta.next;
    lat += latDelta.value;
    lon += lonDelta.value;
    coordinates.push([lon / factor, lat / factor]);
  }
  return coordinates;
}

function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

function encodeSigned(value: number): string {
  // Zig-zag: non-negative v → 2v, negative v → -2v - 1 (Google's `~(v << 1)`).
  let rest = value < 0 ? -2 * value - 1 : 2 * value;
  let out = '';
  while (rest >= 0x20) {
    out += String.fromCharCode(0x20 + (rest % 0x20) + 63);
    rest = Math.floor(rest / 0x20);
  }
  return out + String.fromCharCode(rest + 63);
}

// 2^50: ten 5-bit chunks; more would lose integer precision in a double.
const MAX_SHIFT = 50;

function readSigned(encoded: string, start: number): { value: number; next: number } {
  let result = 0;
  let scale = 1;
  let shift = 0;
  let index = start;
  for (;;) {
    if (index >= encoded.length) {
      throw new RangeError(`Polyline ends inside a value at character ${index}`);
    }
    const chunk = encoded.charCodeAt(index) - 63;
    if (chunk < 0 || chunk > 0x3f) {
      throw new RangeError(`Invalid polyline character at ${index}`);
    }
    index++;
    result += (chunk % 0x20) * scale;
    if (chunk < 0x20) break;
    scale *= 0x20;
    shift += 5;
    if (shift >= MAX_SHIFT) {
      throw new RangeError(`Polyline value too long at character ${index}`);
    }
  }
  const value = result % 2 === 1 ? -(result + 1) / 2 : result / 2;
  return { value, next: index };
}
