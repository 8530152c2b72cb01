import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OsrmEngine } from '../../src/engine/osrm-engine.js';
import { RoadRouter } from '../../src/engine/road-router.js';
import { writeOsmXml } from '../../src/osm/osm-xml-writer.js';
import type { OsmNode, OsmRelation, OsmWay } from '../../src/osm/osm-types.js';
import { prepareNetwork } from '../../src/prepare.js';
import { TrafficProfile } from '../../src/traffic/traffic-profile.js';
import type { RouteResponse } from '../../src/server/osrm-types.js';
import { parseRequest } from '../../src/server/parse-request.js';

// Like OSRM's cucumber features: one character cell of the map is GRID_M metres.
const GRID_M = 100;
const ORIGIN = { lon: 37.6, lat: 55.8 };
const METRES_PER_DEGREE_LAT = 111_320;

export interface MapWay {
  /** Node letters in order, e.g. 'abc'. */
  nodes: string;
  tags?: Record<string, string>;
}

export interface MapRestriction {
  from: string;
  via: string;
  to: string;
  restriction: string;
}

export interface AsciiScenario {
  /** Rows of the map; letters are nodes, everything else is space. */
  map: string;
  ways: MapWay[];
  restrictions?: MapRestriction[];
  /** Tags of single nodes (barriers, signals). */
  nodeTags?: Record<string, Record<string, string>>;
  /** Traffic: observed speeds of OSM segments between adjacent letters, as in a speed file. */
  speeds?: { from: string; to: string; speedKmh: number; slots?: number[] }[];
}

export interface ScenarioNetwork {
  engine: OsrmEngine;
  /** Coordinates of a map letter, [lon, lat]. */
  at(letter: string): [number, number];
  /** Names of the streets driven from a to b (consecutive duplicates merged), or 'no route'. */
  route(from: string, to: string, query?: string): Promise<string>;
  routeResponse(from: string, to: string, query?: string): Promise<RouteResponse>;
  close(): Promise<void>;
}

/** Builds the scenario's OSM file, imports and contracts it, and gives a query helper. */
export async function buildScenario(scenario: AsciiScenario): Promise<ScenarioNetwork> {
  const rows = scenario.map.replace(/^\n/, '').split('\n');
  const letters = new Map<string, [number, number]>();
  rows.forEach((row, y) => {
    [...row].forEach((ch, x) => {
      if (/[a-z0-9]/.test(ch)) {
        const cosLat = Math.cos((ORIGIN.lat * Math.PI) / 180);
        letters.set(ch, [
          ORIGIN.lon + (x * GRID_M) / (METRES_PER_DEGREE_LAT * cosLat),
          ORIGIN.lat - (y * GRID_M) / METRES_PER_DEGREE_LAT,
        ]);
      }
    });
  });
  const ids = new Map([...letters.keys()].map((letter, i) => [letter, i + 1]));
  const nodes: OsmNode[] = [...letters].map(([letter, [lon, lat]]) => ({
    id: ids.get(letter)!,
    lon,
    lat,
    ...(scenario.nodeTags?.[letter] ? { tags: scenario.nodeTags[letter] } : {}),
  }));
  const wayIds = new Map<string, number>();
  const ways: OsmWay[] = scenario.ways.map((way, i) => {
    wayIds.set(way.nodes, 100 + i);
    return {
      id: 100 + i,
      refs: [...way.nodes].map((letter) => {
        const id = ids.get(letter);
        if (id === undefined) throw new Error(`way ${way.nodes}: no node ${letter} on the map`);
        return id;
      }),
      tags: { highway: 'residential', name: way.nodes, ...way.tags },
    };
  });
  const relations: OsmRelation[] = (scenario.restrictions ?? []).map((r, i) => ({
    id: 1000 + i,
    tags: { type: 'restriction', restriction: r.restriction },
    members: [
      { type: 'way', ref: wayIds.get(r.from)!, role: 'from' },
      { type: 'node', ref: ids.get(r.via)!, role: 'via' },
      { type: 'way', ref: wayIds.get(r.to)!, role: 'to' },
    ],
  }));
  const dir = await mkdtemp(path.join(tmpdir(), 'msw-ascii-'));
  const file = path.join(dir, 'scenario.osm');
  await writeOsmXml(file, { nodes, ways, relations });
  const { network } = await prepareNetwork(file);
  const traffic = scenario.speeds
    ? new TrafficProfile(
        network.graph,
        scenario.speeds.map((x) => ({
          fromOsmNode: ids.get(x.from)!,
          toOsmNode: ids.get(x.to)!,
          speedKmh: x.speedKmh,
          slots: x.slots,
        })),
      )
    : undefined;
  const engine = new OsrmEngine(
    new RoadRouter(network.graph, network.hierarchy, { traffic, utcOffsetMinutes: 180 }),
  );
  const at = (letter: string): [number, number] => {
    const point = letters.get(letter);
    if (!point) throw new Error(`no node ${letter} on the map`);
    return point;
  };
  const routeResponse = async (from: string, to: string, query = ''): Promise<RouteResponse> => {
    const [a, b] = [at(from), at(to)];
    const request = parseRequest(
      `/route/v1/driving/${a[0]},${a[1]};${b[0]},${b[1]}?steps=true&overview=false${query}`,
    );
    if ('code' in request && request.code !== undefined && !('service' in request))
      throw new Error(request.message);
    return (await engine.route(request as Parameters<OsrmEngine['route']>[0])) as RouteResponse;
  };
  return {
    engine,
    at,
    routeResponse,
    async route(from, to, query) {
      const response = (await routeResponse(from, to, query)) as RouteResponse | { code: string };
      if (response.code !== 'Ok') return 'no route';
      const names = (response as RouteResponse).routes[0]!.legs[0]!.steps.map((s) => s.name);
      return names.filter((name, i) => i === 0 || name !== names[i - 1]).join(',');
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
