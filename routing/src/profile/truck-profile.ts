import { parseLengthM, parseSpeedKmh, parseWeightT } from './parse-units.js';

/** Road classes in the order of importance; stored per segment as a byte. */
export const RoadClass = {
  motorway: 0,
  trunk: 1,
  primary: 2,
  secondary: 3,
  tertiary: 4,
  unclassified: 5,
  residential: 6,
  living_street: 7,
  service: 8,
  track: 9,
} as const;
export type RoadClassId = (typeof RoadClass)[keyof typeof RoadClass];

/** Limits a vehicle must fit; Infinity where the way sets none. */
export interface WayLimits {
  maxHeightM: number;
  maxWidthM: number;
  maxLengthM: number;
  maxWeightT: number;
  maxAxleLoadT: number;
}

/** The vehicle of a query (all optional: an unknown dimension passes every limit). */
export interface VehicleDimensions {
  heightM?: number;
  widthM?: number;
  lengthM?: number;
  weightT?: number;
  axleLoadT?: number;
}

export interface WayProfile {
  /** Truck speed with the way's direction, km/h; 0 when it may not be driven that way. */
  forwardKmh: number;
  backwardKmh: number;
  roadClass: RoadClassId;
  name: string;
  ref: string;
  isRoundabout: boolean;
  limits: WayLimits | undefined;
}

// Cruising speeds of a loaded refuse truck (heavy goods vehicle) by road class, km/h. Below car
// speeds: trucks are limited to 90 km/h on Russian motorways (ПДД 10.3) and slower in town.
const CLASS_SPEED_KMH: Record<string, [RoadClassId, number]> = {
  motorway: [RoadClass.motorway, 85],
  motorway_link: [RoadClass.motorway, 45],
  trunk: [RoadClass.trunk, 70],
  trunk_link: [RoadClass.trunk, 40],
  primary: [RoadClass.primary, 50],
  primary_link: [RoadClass.primary, 35],
  secondary: [RoadClass.secondary, 45],
  secondary_link: [RoadClass.secondary, 30],
  tertiary: [RoadClass.tertiary, 40],
  tertiary_link: [RoadClass.tertiary, 25],
  unclassified: [RoadClass.unclassified, 30],
  residential: [RoadClass.residential, 25],
  living_street: [RoadClass.living_street, 10],
  // Yards and container-site access roads: allowed, slowly, so through traffic avoids them.
  service: [RoadClass.service, 12],
  track: [RoadClass.track, 8],
};

const TRUCK_MAX_KMH = 90;
// Service roads with these `service=*` values are not for trucks.
const SERVICE_EXCLUDED = new Set(['drive-through', 'emergency_access']);
// `track` only when it is firm (grade 1): refuse trucks do not go off-road.
const TRACK_ALLOWED_GRADES = new Set(['grade1']);
const DENIED = new Set([
  'no',
  'agricultural',
  'forestry',
  'emergency',
  'psv',
  'bus',
  'military',
  'foot',
  'bicycle',
]);
// Private yards and destination-only roads are where containers stand: allowed, at a crawl, so a
// route enters them only to reach a point inside.
const DESTINATION_ONLY = new Set(['private', 'destination', 'delivery', 'customers', 'permit', 'residents']);
const DESTINATION_SPEED_FACTOR = 0.5;

/** Access for heavy goods vehicles, most specific tag first (OSM access hierarchy). */
function truckAccess(tags: Record<string, string>): string | undefined {
  return tags['hgv'] ?? tags['goods'] ?? tags['motor_vehicle'] ?? tags['vehicle'] ?? tags['access'];
}

/** The truck profile of a way, or undefined when trucks may not use it at all. */
export function profileWay(tags: Record<string, string>): WayProfile | undefined {
  const highway = tags['highway'];
  if (!highway || tags['area'] === 'yes') return undefined;
  const classSpeed = CLASS_SPEED_KMH[highway];
  if (!classSpeed) return undefined;
  if (highway === 'service' && SERVICE_EXCLUDED.has(tags['service'] ?? '')) return undefined;
  if (highway === 'track' && !TRACK_ALLOWED_GRADES.has(tags['tracktype'] ?? '')) return undefined;
  const access = truckAccess(tags);
  if (access !== undefined && DENIED.has(access)) return undefined;
  const [roadClass, classKmh] = classSpeed;

  let kmh = classKmh;
  const posted = parseSpeedKmh(tags['maxspeed:hgv']) ?? parseSpeedKmh(tags['maxspeed']);
  // Posted limits above the class speed do not make a refuse truck faster; lower ones slow it.
  if (posted !== undefined) kmh = Math.min(kmh, posted * 0.9);
  kmh = Math.min(kmh, TRUCK_MAX_KMH);
  if (access !== undefined && DESTINATION_ONLY.has(access)) kmh *= DESTINATION_SPEED_FACTOR;
  kmh = Math.max(kmh, 3);

  const isRoundabout = tags['junction'] === 'roundabout' || tags['junction'] === 'circular';
  const oneway = onewayOf(tags, highway, isRoundabout);
  return {
    forwardKmh: oneway === -1 ? 0 : kmh,
    backwardKmh: oneway === 1 ? 0 : kmh,
    roadClass,
    name: tags['name'] ?? '',
    ref: tags['ref'] ?? '',
    isRoundabout,
    limits: limitsOf(tags),
  };
}

/** 1: only with the way's direction, -1: only against it, 0: both. */
function onewayOf(tags: Record<string, string>, highway: string, isRoundabout: boolean): -1 | 0 | 1 {
  const value = tags['oneway:hgv'] ?? tags['oneway'];
  if (value === '-1' || value === 'reverse') return -1;
  if (value === 'yes' || value === '1' || value === 'true') return 1;
  if (value === 'no' || value === '0' || value === 'false') return 0;
  if (isRoundabout || highway === 'motorway' || highway === 'motorway_link') return 1;
  return 0;
}

function limitsOf(tags: Record<string, string>): WayLimits | undefined {
  const limits: WayLimits = {
    maxHeightM: parseLengthM(tags['maxheight:physical'] ?? tags['maxheight']) ?? Infinity,
    maxWidthM: parseLengthM(tags['maxwidth:physical'] ?? tags['maxwidth']) ?? Infinity,
    maxLengthM: parseLengthM(tags['maxlength:hgv'] ?? tags['maxlength']) ?? Infinity,
    maxWeightT: parseWeightT(tags['maxweight:hgv'] ?? tags['maxweight']) ?? Infinity,
    maxAxleLoadT: parseWeightT(tags['maxaxleload']) ?? Infinity,
  };
  const any = Object.values(limits).some((value) => value !== Infinity);
  return any ? limits : undefined;
}

/** True when the vehicle fits every limit (unknown dimensions fit). */
export function fitsLimits(limits: WayLimits, vehicle: VehicleDimensions): boolean {
  return (
    (vehicle.heightM ?? 0) <= limits.maxHeightM &&
    (vehicle.widthM ?? 0) <= limits.maxWidthM &&
    (vehicle.lengthM ?? 0) <= limits.maxLengthM &&
    (vehicle.weightT ?? 0) <= limits.maxWeightT &&
    (vehicle.axleLoadT ?? 0) <= limits.maxAxleLoadT
  );
}

export interface TurnRestriction {
  /** `no_*` forbids the from→to turn; `only_*` forbids every other turn from `from` at `via`. */
  kind: 'no' | 'only';
  fromWay: number;
  viaNode: number;
  toWay: number;
}

const RESTRICTION_TYPES = ['restriction:hgv', 'restriction'];

/**
 * A turn restriction relation that applies to trucks, or undefined. Only via-node restrictions
 * are read (the large majority); via-way ones are reported by the caller as skipped.
 */
export function parseTurnRestriction(
  tags: Record<string, string>,
  members: readonly { type: string; ref: number; role: string }[],
): TurnRestriction | undefined | 'via-way' {
  if (tags['type'] !== 'restriction' && tags['type'] !== 'restriction:hgv') return undefined;
  const value = RESTRICTION_TYPES.map((key) => tags[key]).find((v) => v !== undefined);
  if (!value) return undefined;
  const except = (tags['except'] ?? '').split(';').map((s) => s.trim());
  if (except.includes('hgv') || except.includes('goods') || except.includes('motorcar')) return undefined;
  const kind = value.startsWith('no_') ? 'no' : value.startsWith('only_') ? 'only' : undefined;
  if (!kind) return undefined;
  const from = members.find((m) => m.role === 'from' && m.type === 'way');
  const to = members.find((m) => m.role === 'to' && m.type === 'way');
  const via = members.filter((m) => m.role === 'via');
  if (!from || !to || via.length !== 1) return undefined;
  if (via[0]!.type === 'way') return 'via-way';
  if (via[0]!.type !== 'node') return undefined;
  return { kind, fromWay: from.ref, viaNode: via[0]!.ref, toWay: to.ref };
}
