/**
 * Drivable OSM highway classes and the cruise speed of a loaded refuse truck on each, km/h.
 * A rear loader in town rarely goes above 60 and crawls through yards (service, living streets).
 * The index in this list is the class code stored per edge.
 */
export const ROAD_CLASSES = [
  { highway: 'motorway', cruiseKmh: 60 },
  { highway: 'trunk', cruiseKmh: 60 },
  { highway: 'primary', cruiseKmh: 55 },
  { highway: 'secondary', cruiseKmh: 50 },
  { highway: 'tertiary', cruiseKmh: 45 },
  { highway: 'unclassified', cruiseKmh: 40 },
  { highway: 'residential', cruiseKmh: 30 },
  { highway: 'living_street', cruiseKmh: 20 },
  { highway: 'service', cruiseKmh: 20 },
  { highway: 'motorway_link', cruiseKmh: 40 },
  { highway: 'trunk_link', cruiseKmh: 40 },
  { highway: 'primary_link', cruiseKmh: 40 },
  { highway: 'secondary_link', cruiseKmh: 35 },
  { highway: 'tertiary_link', cruiseKmh: 35 },
] as const;

export type Highway = (typeof ROAD_CLASSES)[number]['highway'];

const CODES = new Map<string, number>(ROAD_CLASSES.map((roadClass, code) => [roadClass.highway, code]));

/** Class code of an OSM `highway=*` value, or undefined when trucks do not drive on it. */
export function roadClassOf(highway: string): number | undefined {
  return CODES.get(highway);
}

export function roadClassCode(highway: Highway): number {
  return CODES.get(highway) as number;
}

export function cruiseSpeedKmh(code: number): number {
  return ROAD_CLASSES[code]?.cruiseKmh ?? 30;
}
