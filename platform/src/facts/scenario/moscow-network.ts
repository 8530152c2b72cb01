import { fileURLToPath } from 'node:url';
import { loadRoadNetwork, type RoadNetwork } from '../../../../firmware-sim/src/road-network.js';

/** The real Moscow (Ostankino) OSM extract the simulator drives on, from ../shared/data (read-only). */
export const MOSCOW_OSM_FILE = fileURLToPath(
  new URL('../../../../../shared/data/osm/moscow-ostankino.osm.gz', import.meta.url),
);

let cached: Promise<RoadNetwork> | undefined;

/** Loads the extract once per process (about 0.4 s). */
export function loadMoscowNetwork(): Promise<RoadNetwork> {
  cached ??= loadRoadNetwork(MOSCOW_OSM_FILE);
  return cached;
}
