import type { OsmBbox, OsmData, OsmNode, OsmRelation, OsmWay } from './osm-types.js';
import { writeOsmXml } from './osm-xml-writer.js';

export interface DemoTownOptions {
  /** Varies the small jitter of street geometry; the layout and every tagged feature stay. Default 1. */
  seed?: number;
}

export interface DemoLandmark {
  nodeId: number;
  lon: number;
  lat: number;
  name: string;
}

export interface DemoTown extends OsmData {
  bbox: OsmBbox;
  /** Where a refuse-truck simulation starts, refuels and unloads. */
  landmarks: { depot: DemoLandmark; fuel: DemoLandmark; landfill: DemoLandmark };
}

// Origin of the local metric frame (south-west corner of the street grid).
const ORIGIN_LON = 37.6;
const ORIGIN_LAT = 55.8;
const METRES_PER_DEG_LAT = 111_132.95;
const METRES_PER_DEG_LON = 111_319.49 * Math.cos((ORIGIN_LAT * Math.PI) / 180);
const GRID = 6;
const BLOCK_M = 400;
const ROUNDABOUT_RADIUS_M = 40;
const GRID_JITTER_M = 10;
const MID_JITTER_M = 15;

const ROW_NAMES = [
  'Южная улица',
  'улица Гагарина',
  'проспект Победы',
  'Садовая улица',
  'улица Пушкина',
  'Северная улица',
] as const;
const COLUMN_NAMES = [
  'Западная улица',
  'Школьная улица',
  'улица Ленина',
  'Московская улица',
  'Советская улица',
  'Набережная улица',
] as const;
const PRIMARY_ROW = 2;
const SECONDARY_COLUMN = 3;

/**
 * A small Russian-style town (about 2 × 2 km of street grid at 37.60 E, 55.80 N, plus a landfill
 * beyond the river) for routing and simulation when no extract is given. It holds one of each
 * feature a truck router must honour: arterials, oneways, a roundabout, a low truss bridge
 * (maxheight 3.5), a weight limit (maxweight 10), an hgv=no street, two turn restrictions, a
 * depot yard on service roads, a diesel fuel station and a landfill on an unclassified road.
 */
export function buildDemoTown(options: DemoTownOptions = {}): DemoTown {
  const town = new TownBuilder(options.seed ?? 1);
  const { grid, midH, midV } = town.streetGrid();

  // Roundabout where the arterials cross, counter-clockwise (right-hand traffic).
  const [rcx, rcy] = [SECONDARY_COLUMN * BLOCK_M, PRIMARY_ROW * BLOCK_M];
  const ring: number[] = [];
  for (let k = 0; k < 8; k++) {
    const angle = (k * Math.PI) / 4;
    ring.push(
      town.node(rcx + ROUNDABOUT_RADIUS_M * Math.cos(angle), rcy + ROUNDABOUT_RADIUS_M * Math.sin(angle)),
    );
  }
  const [ringEast, ringNorth, ringWest, ringSouth] = [ring[0]!, ring[2]!, ring[4]!, ring[6]!];
  town.way([...ring, ring[0]!], { highway: 'primary', junction: 'roundabout', name: 'площадь Победы' });

  // Primary arterial (row 2), west entrance to the river and beyond.
  const primary = { highway: 'primary', name: ROW_NAMES[PRIMARY_ROW], maxspeed: '60', lanes: '2' };
  const westEntrance = town.node(-300, PRIMARY_ROW * BLOCK_M);
  const primaryWest = town.way(
    [westEntrance, grid(0, 2), midH(0, 2), grid(1, 2), midH(1, 2), grid(2, 2)],
    primary,
  );
  town.way([grid(2, 2), midH(2, 2), ringWest], primary);
  const primaryBridgeWest = town.node(2100, 800);
  const primaryBridgeEast = town.node(2200, 800);
  const zarechnayaSouth = town.node(2300, 800);
  town.way([ringEast, midH(3, 2), grid(4, 2), midH(4, 2), grid(5, 2), primaryBridgeWest], primary);
  town.way([primaryBridgeWest, primaryBridgeEast], { ...primary, bridge: 'yes', layer: '1' });
  town.way([primaryBridgeEast, zarechnayaSouth], primary);

  // Secondary arterial (column 3), south entrance to north entrance through the roundabout.
  const secondary = { highway: 'secondary', name: COLUMN_NAMES[SECONDARY_COLUMN], maxspeed: '50' };
  const southEntrance = town.node(SECONDARY_COLUMN * BLOCK_M, -300);
  const northEntrance = town.node(SECONDARY_COLUMN * BLOCK_M, 2300);
  const secondarySouth = town.way([southEntrance, grid(3, 0), midV(3, 0), grid(3, 1)], secondary);
  const secondaryToRing = town.way([grid(3, 1), midV(3, 1), ringSouth], secondary);
  town.way(
    [ringNorth, midV(3, 2), grid(3, 3), midV(3, 3), grid(3, 4), midV(3, 4), grid(3, 5), northEntrance],
    secondary,
  );

  // Residential rows (west to east) and columns (south to north).
  const rowTags: Record<number, Record<string, string>> = {
    0: {},
    1: { maxspeed: '40' },
    3: { maxweight: '10' },
    4: {},
    5: { oneway: 'yes' },
  };
  for (const [row, extra] of Object.entries(rowTags)) {
    const j = Number(row);
    const refs = town.row(j, grid, midH);
    // Северная улица is one-way westbound: its nodes run east to west.
    if (extra['oneway'] === 'yes') refs.reverse();
    town.way(refs, { highway: 'residential', name: ROW_NAMES[j]!, ...extra });
  }
  const columnTags: Record<number, Record<string, string>> = {
    0: { maxspeed: '40' },
    1: { hgv: 'no', maxspeed: '20' },
    4: { oneway: 'yes' },
    5: {},
  };
  for (const [column, extra] of Object.entries(columnTags)) {
    const i = Number(column);
    town.way(town.column(i, grid, midV), { highway: 'residential', name: COLUMN_NAMES[i]!, ...extra });
  }
  // улица Ленина is split at the arterial: the turn restriction needs a way that starts there.
  const lenina = { highway: 'residential', name: COLUMN_NAMES[2] };
  town.way([grid(2, 0), midV(2, 0), grid(2, 1), midV(2, 1), grid(2, 2)], lenina);
  const leninaNorth = town.way(
    [grid(2, 2), midV(2, 2), grid(2, 3), midV(2, 3), grid(2, 4), midV(2, 4), grid(2, 5)],
    lenina,
  );

  // Across the river: Заречная улица, reached by the primary bridge and by a low truss bridge.
  const zarechnayaNorth = town.node(2300, 1600);
  town.way([zarechnayaSouth, town.node(2300, 1200), zarechnayaNorth], {
    highway: 'residential',
    name: 'Заречная улица',
    maxspeed: '40',
  });
  const pushkina = { highway: 'residential', name: ROW_NAMES[4] };
  const trussWest = town.node(2080, 1600);
  const trussEast = town.node(2220, 1600);
  town.way([grid(5, 4), trussWest], pushkina);
  town.way([trussWest, trussEast], {
    ...pushkina,
    bridge: 'yes',
    'bridge:structure': 'truss',
    layer: '1',
    maxheight: '3.5',
  });
  town.way([trussEast, zarechnayaNorth], pushkina);
  town.way(
    [
      [2140, -400],
      [2160, 300],
      [2150, 700],
      [2145, 1100],
      [2165, 1500],
      [2150, 1900],
      [2140, 2400],
    ].map(([x, y]) => town.node(x!, y!)),
    { waterway: 'river', name: 'река Серебрянка' },
  );

  // Turn restrictions (members from / via node / to).
  town.restriction('no_left_turn', primaryWest, grid(2, 2), leninaNorth);
  town.restriction('only_straight_on', secondarySouth, grid(3, 1), secondaryToRing);
  town.tagNode(grid(3, 3), { highway: 'traffic_signals' });

  // Depot: a yard on service roads south of Южная улица.
  const depotName = 'Автобаза МУП «Чистый город»';
  const depotGate = town.node(600, -70, { barrier: 'gate' });
  const yard = town.node(600, -160);
  town.way([midH(1, 0), depotGate, yard], { highway: 'service' });
  town.way([yard, town.node(680, -210), town.node(520, -210), yard], { highway: 'service' });
  town.area(
    [
      [450, -40],
      [750, -40],
      [750, -260],
      [450, -260],
    ],
    { landuse: 'industrial', name: depotName },
  );

  const fuelName = 'АЗС №1';
  const fuel = town.node(1420, 830, {
    amenity: 'fuel',
    'fuel:diesel': 'yes',
    name: fuelName,
    opening_hours: '24/7',
  });

  // Landfill east of the river on an unclassified road; the gate is on the site's boundary.
  const landfillName = 'Полигон ТБО «Восточный»';
  const landfillGate = town.node(2800, 450);
  const tip = town.node(2950, 400);
  town.way([zarechnayaSouth, town.node(2450, 720), town.node(2620, 560), landfillGate, tip], {
    highway: 'unclassified',
    name: 'Полигонная дорога',
    maxspeed: '60',
  });
  const corner = (x: number, y: number): number => town.node(x, y);
  const nw = corner(2800, 600);
  town.way([nw, landfillGate, corner(2800, 200), corner(3200, 200), corner(3200, 600), nw], {
    landuse: 'landfill',
    name: landfillName,
  });
  town.node(1000, 1000, { place: 'town', name: 'Новосветск' });

  return {
    nodes: town.nodes,
    ways: town.ways,
    relations: town.relations,
    bbox: town.bbox(),
    landmarks: {
      depot: town.landmark(yard, depotName),
      fuel: town.landmark(fuel, fuelName),
      landfill: town.landmark(tip, landfillName),
    },
  };
}

/** Writes {@link buildDemoTown} as OSM XML to `path` and returns what it wrote. */
export async function generateDemoTown(path: string, options: DemoTownOptions = {}): Promise<DemoTown> {
  const town = buildDemoTown(options);
  await writeOsmXml(path, town, { generator: 'msw-fleet demo town', bbox: town.bbox });
  return town;
}

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** OSM stores 1e-7 degrees; rounding here makes the written file read back to equal numbers. */
function round7(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

type GridRef = (i: number, j: number) => number;

class TownBuilder {
  readonly nodes: OsmNode[] = [];
  readonly ways: OsmWay[] = [];
  readonly relations: OsmRelation[] = [];
  private readonly random: () => number;
  private readonly byId = new Map<number, OsmNode>();

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  /** A node at `x` metres east and `y` metres north of the origin. */
  node(x: number, y: number, tags?: Record<string, string>): number {
    const id = this.nodes.length + 1;
    const node: OsmNode = {
      id,
      lat: round7(ORIGIN_LAT + y / METRES_PER_DEG_LAT),
      lon: round7(ORIGIN_LON + x / METRES_PER_DEG_LON),
    };
    if (tags) node.tags = tags;
    this.nodes.push(node);
    this.byId.set(id, node);
    return id;
  }

  tagNode(id: number, tags: Record<string, string>): void {
    const node = this.byId.get(id)!;
    node.tags = { ...node.tags, ...tags };
  }

  way(refs: number[], tags: Record<string, string>): number {
    const id = this.ways.length + 1;
    this.ways.push({ id, refs, tags });
    return id;
  }

  area(corners: [number, number][], tags: Record<string, string>): number {
    const refs = corners.map(([x, y]) => this.node(x, y));
    return this.way([...refs, refs[0]!], tags);
  }

  restriction(kind: string, from: number, via: number, to: number): void {
    this.relations.push({
      id: this.relations.length + 1,
      members: [
        { type: 'way', ref: from, role: 'from' },
        { type: 'node', ref: via, role: 'via' },
        { type: 'way', ref: to, role: 'to' },
      ],
      tags: { type: 'restriction', restriction: kind },
    });
  }

  /**
   * Jittered intersections and mid-block shape points. The arterial crossing has no
   * intersection node: the roundabout replaces it.
   */
  streetGrid(): { grid: GridRef; midH: GridRef; midV: GridRef } {
    const jitter = (amplitude: number): number => (this.random() * 2 - 1) * amplitude;
    const intersections: number[] = [];
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const isRoundabout = i === SECONDARY_COLUMN && j === PRIMARY_ROW;
        const [dx, dy] = [jitter(GRID_JITTER_M), jitter(GRID_JITTER_M)];
        // Arterials stay straight: only the other axis is jittered on them.
        const x = i * BLOCK_M + (i === SECONDARY_COLUMN ? 0 : dx);
        const y = j * BLOCK_M + (j === PRIMARY_ROW ? 0 : dy);
        intersections.push(isRoundabout ? 0 : this.node(x, y));
      }
    }
    const horizontal: number[] = [];
    const vertical: number[] = [];
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID - 1; i++) {
        const dy = j === PRIMARY_ROW ? 0 : jitter(MID_JITTER_M);
        horizontal.push(this.node(i * BLOCK_M + BLOCK_M / 2, j * BLOCK_M + dy));
      }
    }
    for (let i = 0; i < GRID; i++) {
      for (let j = 0; j < GRID - 1; j++) {
        const dx = i === SECONDARY_COLUMN ? 0 : jitter(MID_JITTER_M);
        vertical.push(this.node(i * BLOCK_M + dx, j * BLOCK_M + BLOCK_M / 2));
      }
    }
    return {
      grid: (i, j) => intersections[j * GRID + i]!,
      midH: (i, j) => horizontal[j * (GRID - 1) + i]!,
      midV: (i, j) => vertical[i * (GRID - 1) + j]!,
    };
  }

  row(j: number, grid: GridRef, midH: GridRef): number[] {
    const refs = [grid(0, j)];
    for (let i = 0; i < GRID - 1; i++) refs.push(midH(i, j), grid(i + 1, j));
    return refs;
  }

  column(i: number, grid: GridRef, midV: GridRef): number[] {
    const refs = [grid(i, 0)];
    for (let j = 0; j < GRID - 1; j++) refs.push(midV(i, j), grid(i, j + 1));
    return refs;
  }

  bbox(): OsmBbox {
    let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { lon, lat } of this.nodes) {
      minLon = Math.min(minLon, lon);
      minLat = Math.min(minLat, lat);
      maxLon = Math.max(maxLon, lon);
      maxLat = Math.max(maxLat, lat);
    }
    return [minLon, minLat, maxLon, maxLat];
  }

  landmark(nodeId: number, name: string): DemoLandmark {
    const node = this.byId.get(nodeId)!;
    return { nodeId, lon: node.lon, lat: node.lat, name };
  }
}
