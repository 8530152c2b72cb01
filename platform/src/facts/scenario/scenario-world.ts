import { degreesPerMetre, haversineM } from '../../../../firmware-sim/src/geo.js';
import { createRandom, uniform, type Random } from '../../../../firmware-sim/src/prng.js';
import type { RoadNetwork } from '../../../../firmware-sim/src/road-network.js';
import type { Facility, Site } from '../types.js';

/** A place of the scenario at a road node: the truck stops on the node, the place may lie beside it. */
export interface NodePlace {
  node: number;
  lon: number;
  lat: number;
}

export interface ScenarioSite extends Site {
  node: number;
}

export interface ScenarioFacility extends Facility {
  node: number;
}

/** The registry and the other places trucks go to, all on one road network. */
export interface ScenarioWorld {
  network: RoadNetwork;
  sites: ScenarioSite[];
  facilities: ScenarioFacility[];
  fuelStations: NodePlace[];
  /** Yards where trucks park for the night. */
  depots: NodePlace[];
  /** Places away from every site where drivers park for a break. */
  breakSpots: NodePlace[];
}

export interface WorldOptions {
  seed: number;
  /** How many container sites to try to place (fewer fit when the network is small). */
  siteCount: number;
  /** Minimum distance between any two places, metres: geofences never overlap. */
  spacingM: number;
}

const DEFAULT_WORLD: WorldOptions = { seed: 7, siteCount: 400, spacingM: 110 };

/**
 * Places container sites, facilities, fuel stations, depots and break spots on road nodes at least
 * `spacingM` apart. A site's point is offset 5–15 m from the road (containers stand in the yard
 * beside it); a third of the sites have a rectangular polygon geofence, the rest a 35 m circle.
 */
export function buildScenarioWorld(network: RoadNetwork, options: Partial<WorldOptions> = {}): ScenarioWorld {
  const { seed, siteCount, spacingM } = { ...DEFAULT_WORLD, ...options };
  const random = createRandom(seed);
  const order = shuffledNodes(network, random);
  const taken: NodePlace[] = [];
  const take = (count: number, minFromOthersM = spacingM): NodePlace[] => {
    const out: NodePlace[] = [];
    while (out.length < count && order.length > 0) {
      const node = order.pop() as number;
      const place = { node, lon: network.lon[node] as number, lat: network.lat[node] as number };
      if (taken.some((other) => haversineM(other.lat, other.lon, place.lat, place.lon) < minFromOthersM))
        continue;
      taken.push(place);
      out.push(place);
    }
    return out;
  };
  const facilities = take(2, 2 * spacingM).map((place, i) => ({
    id: `facility-${i + 1}`,
    node: place.node,
    lon: place.lon,
    lat: place.lat,
    radiusM: 60,
  }));
  const fuelStations = take(3);
  const depots = take(2);
  const breakSpots = take(12);
  const perMetre = degreesPerMetre(network.bbox.minLat);
  const sites = take(siteCount).map((place, i): ScenarioSite => {
    const angle = random() * 2 * Math.PI;
    const offsetM = uniform(random, 5, 15);
    const lon = place.lon + offsetM * Math.cos(angle) * perMetre.lon;
    const lat = place.lat + offsetM * Math.sin(angle) * perMetre.lat;
    const id = `site-${String(i + 1).padStart(4, '0')}`;
    const site: ScenarioSite = { id, node: place.node, lon, lat, radiusM: 35 };
    if (i % 3 === 0) {
      // A 70 × 50 m yard around the containers, rotated at random; the road node lies inside.
      const w = 35;
      const h = 25;
      const rot = random() * Math.PI;
      const cx = (place.lon + lon) / 2;
      const cy = (place.lat + lat) / 2;
      site.polygon = [
        [-w, -h],
        [w, -h],
        [w, h],
        [-w, h],
      ].map(([x, y]) => {
        const ex = (x as number) * Math.cos(rot) - (y as number) * Math.sin(rot);
        const ny = (x as number) * Math.sin(rot) + (y as number) * Math.cos(rot);
        return [cx + ex * perMetre.lon, cy + ny * perMetre.lat] as [number, number];
      });
    }
    if (i % 2 === 0) site.rfidTags = [1, 2, 3, 4].map((k) => rfidTag(i, k));
    return site;
  });
  return { network, sites, facilities, fuelStations, depots, breakSpots };
}

export function rfidTag(siteIndex: number, container: number): string {
  return `RU-CNT-${String(siteIndex * 4 + container).padStart(6, '0')}`;
}

function shuffledNodes(network: RoadNetwork, random: Random): number[] {
  const nodes = Array.from({ length: network.nodeCount }, (_, i) => i);
  for (let i = nodes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [nodes[i], nodes[j]] = [nodes[j] as number, nodes[i] as number];
  }
  return nodes;
}
