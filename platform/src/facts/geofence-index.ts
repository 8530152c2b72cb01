import { distanceToPolygonM, LAT_DEGREES_PER_METRE, localDistanceM, lonDegreesPerMetre } from './geo.js';
import { SpatialGrid } from './spatial-grid.js';
import type { Geofenced } from './types.js';

export interface GeofenceHit<T> {
  place: T;
  /** From the point to the place's own coordinates, metres. */
  distanceM: number;
}

// About 220 m: a cell holds a handful of container sites even in dense blocks of flats.
const CELL_DEG = 0.002;

/**
 * Container sites or facilities by geofence: "which place is this stop in?". A polygon is the
 * geofence when the registry has one, else the circle of `radiusM` around the place's point.
 */
export class GeofenceIndex<T extends Geofenced> {
  private readonly grid: SpatialGrid;
  private readonly byId = new Map<string, T>();

  constructor(
    readonly places: readonly T[],
    /** Slack added to every geofence, metres: GNSS error of the stop position. */
    private readonly toleranceM = 0,
  ) {
    const boxes = places.map((place) => boundingBox(place, toleranceM));
    this.grid = new SpatialGrid(boxes, CELL_DEG);
    for (const place of places) this.byId.set(place.id, place);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** The place whose geofence holds the point; of several, the one whose point is nearest. */
  locate(lon: number, lat: number): GeofenceHit<T> | undefined {
    let best: T | undefined;
    let bestDistance = Infinity;
    this.grid.forEachCandidate(lon, lat, (item) => {
      const place = this.places[item] as T;
      if (!this.holds(place, lon, lat)) return;
      const distance = localDistanceM(place.lon, place.lat, lon, lat);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = place;
      }
    });
    return best ? { place: best, distanceM: bestDistance } : undefined;
  }

  /** Whether the point lies in this place's geofence (with the index's tolerance). */
  holds(place: T, lon: number, lat: number): boolean {
    if (place.polygon && place.polygon.length >= 3) {
      return distanceToPolygonM(lon, lat, place.polygon) <= this.toleranceM;
    }
    return localDistanceM(place.lon, place.lat, lon, lat) <= place.radiusM + this.toleranceM;
  }
}

function boundingBox(place: Geofenced, marginM: number): [number, number, number, number] {
  const dLon = lonDegreesPerMetre(place.lat);
  if (place.polygon && place.polygon.length >= 3) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [x, y] of place.polygon) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    return [
      x0 - marginM * dLon,
      y0 - marginM * LAT_DEGREES_PER_METRE,
      x1 + marginM * dLon,
      y1 + marginM * LAT_DEGREES_PER_METRE,
    ];
  }
  const r = place.radiusM + marginM;
  return [
    place.lon - r * dLon,
    place.lat - r * LAT_DEGREES_PER_METRE,
    place.lon + r * dLon,
    place.lat + r * LAT_DEGREES_PER_METRE,
  ];
}
