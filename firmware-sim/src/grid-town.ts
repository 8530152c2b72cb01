import { degreesPerMetre } from './geo.js';
import { roadClassCode } from './road-class.js';
import { buildRoadNetwork, type RoadNetwork, type RoadWay } from './road-network.js';

export interface GridTownOptions {
  rows?: number;
  cols?: number;
  /** Block size, metres. */
  spacingM?: number;
  /** South-west corner. */
  originLat?: number;
  originLon?: number;
}

/**
 * A made-up town for when no OSM extract is at hand: a street grid with two-way avenues every
 * fourth row and column, residential streets between them, and every other residential row one-way
 * (alternating east and west) so the one-way handling is exercised too. Not a real place.
 */
export function generateGridTown(options: GridTownOptions = {}): RoadNetwork {
  const rows = options.rows ?? 12;
  const cols = options.cols ?? 12;
  const spacingM = options.spacingM ?? 150;
  const originLat = options.originLat ?? 55.8;
  const originLon = options.originLon ?? 37.6;
  if (rows < 2 || cols < 2) throw new Error('grid town: rows and cols must be at least 2');
  const perMetre = degreesPerMetre(originLat);
  const lat: number[] = [];
  const lon: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      lat.push(originLat + r * spacingM * perMetre.lat);
      lon.push(originLon + c * spacingM * perMetre.lon);
    }
  }
  const node = (r: number, c: number): number => r * cols + c;
  const ways: RoadWay[] = [];
  for (let r = 0; r < rows; r++) {
    const nodes = Array.from({ length: cols }, (_, c) => node(r, c));
    if (r % 4 === 0) ways.push({ nodes, roadClass: roadClassCode('primary'), oneway: 0 });
    else if (r % 2 === 1)
      ways.push({ nodes, roadClass: roadClassCode('residential'), oneway: r % 4 === 1 ? 1 : -1 });
    else ways.push({ nodes, roadClass: roadClassCode('residential'), oneway: 0 });
  }
  // Columns are all two-way, which keeps the whole grid strongly connected.
  for (let c = 0; c < cols; c++) {
    const nodes = Array.from({ length: rows }, (_, r) => node(r, c));
    const roadClass = roadClassCode(c % 4 === 0 ? 'secondary' : 'residential');
    ways.push({ nodes, roadClass, oneway: 0 });
  }
  return buildRoadNetwork({ source: `generated grid town ${rows}x${cols}`, lat, lon, ways });
}
