/**
 * The optimizer's travel matrix from a routing engine's `table` service (ours in process, or any
 * OSRM-compatible engine behind the RoutingEngine interface): distances once, durations once per
 * departure slot over the plan's horizon using our `depart_at` extension, so travel times follow the
 * traffic of the hour. Large location sets are asked in blocks no bigger than the engine's table limit.
 */
import type {
  LonLat,
  OsrmError,
  RoutingEngine,
  TableRequest,
  TableResponse,
} from '../../server/osrm-types.js';
import type { TravelMatrix } from '../model/plan-problem.js';
import { OptimizerInputError } from './optimizer-error.js';

export interface TravelMatrixOptions {
  /** Unix seconds of model time 0. */
  epochS: number;
  /** Model seconds to cover with slots. */
  horizonS: number;
  /** Slot width (s); one table per slot. */
  slotSeconds: number;
  /** False: one table without departure time (free flow). */
  traffic: boolean;
  /** Sources (and destinations) per table request; osrm-routed's default limit is 100. */
  blockSize?: number;
  /** A location farther than this from any road is refused (m); default 1000. */
  snapRadiusM?: number;
}

interface Table {
  durations: Float64Array;
  distances: Float64Array | null;
}

export async function buildTravelMatrix(
  engine: RoutingEngine,
  coordinates: LonLat[],
  options: TravelMatrixOptions,
): Promise<TravelMatrix> {
  const n = coordinates.length;
  const blockSize = options.blockSize ?? 100;
  const radius = options.snapRadiusM ?? 1000;
  const first = await fullTable(
    engine,
    coordinates,
    blockSize,
    radius,
    true,
    options.traffic ? options.epochS : undefined,
  );
  if ('unsupported' in first) {
    // An engine without departure times (a real OSRM): one free-flow table for the whole day.
    const plain = await fullTable(engine, coordinates, blockSize, radius, true, undefined);
    if ('unsupported' in plain) throw new Error('the routing engine refused a plain table request');
    return { locationCount: n, distance: plain.distances!, duration: plain.durations };
  }
  const distance = first.distances!;
  if (!options.traffic) return { locationCount: n, distance, duration: first.durations };
  const slotCount = Math.max(1, Math.ceil(options.horizonS / options.slotSeconds));
  const matrices: Float64Array[] = [first.durations];
  for (let k = 1; k < slotCount; k++) {
    const table = await fullTable(
      engine,
      coordinates,
      blockSize,
      radius,
      false,
      options.epochS + k * options.slotSeconds,
    );
    if ('unsupported' in table) throw new Error('the routing engine stopped answering depart_at tables');
    // Slots without traffic data equal their neighbours: share one array instead of copies.
    const previous = matrices[k - 1]!;
    matrices.push(sameValues(previous, table.durations) ? previous : table.durations);
  }
  if (matrices.every((m) => m === matrices[0]))
    return { locationCount: n, distance, duration: first.durations };
  return {
    locationCount: n,
    distance,
    duration: first.durations,
    durationSlots: { slotSeconds: options.slotSeconds, matrices },
  };
}

async function fullTable(
  engine: RoutingEngine,
  coordinates: LonLat[],
  blockSize: number,
  radius: number,
  withDistances: boolean,
  departAt: number | undefined,
): Promise<Table | { unsupported: true }> {
  const n = coordinates.length;
  const durations = new Float64Array(n * n);
  const distances = withDistances ? new Float64Array(n * n) : null;
  for (let s0 = 0; s0 < n; s0 += blockSize) {
    for (let d0 = 0; d0 < n; d0 += blockSize) {
      const sources = range(s0, Math.min(n, s0 + blockSize));
      const targets = range(d0, Math.min(n, d0 + blockSize));
      const response = await engine.table(
        tableRequest(coordinates, sources, targets, radius, withDistances, departAt),
      );
      if (response.code !== 'Ok') {
        const error = response as OsrmError;
        if (error.code === 'NotImplemented' && departAt !== undefined) return { unsupported: true };
        throw routingError(error, coordinates, [...sources, ...targets]);
      }
      const ok = response as TableResponse;
      sources.forEach((source, row) => {
        targets.forEach((target, column) => {
          const cell = source * n + target;
          durations[cell] = ok.durations?.[row]?.[column] ?? Infinity;
          if (distances) distances[cell] = ok.distances?.[row]?.[column] ?? Infinity;
        });
      });
    }
  }
  return { durations, distances };
}

/** Sources first, then destinations, in one coordinate list (OSRM indexes into it). */
function tableRequest(
  coordinates: LonLat[],
  sources: number[],
  targets: number[],
  radius: number,
  withDistances: boolean,
  departAt: number | undefined,
): TableRequest {
  const points = [...sources, ...targets].map((i) => coordinates[i]!);
  return {
    service: 'table',
    profile: 'driving',
    coordinates: points,
    bearings: [],
    radiuses: points.map(() => radius),
    hints: [],
    approaches: [],
    exclude: [],
    snapping: 'default',
    generate_hints: false,
    sources: sources.map((_, k) => k),
    destinations: targets.map((_, k) => sources.length + k),
    annotations: withDistances ? ['duration', 'distance'] : ['duration'],
    fallback_coordinate: 'input',
    scale_factor: 1,
    ...(departAt !== undefined ? { depart_at: Math.floor(departAt) } : {}),
  };
}

function routingError(error: OsrmError, coordinates: LonLat[], asked: number[]): OptimizerInputError {
  if (error.code === 'NoSegment') {
    // OSRM names the coordinate by its position in the request.
    const position = /(\d+)/.exec(error.message)?.[1];
    const point = position !== undefined ? coordinates[asked[Number(position)] ?? -1] : undefined;
    const where = point ? ` (${point[0]}, ${point[1]})` : '';
    return new OptimizerInputError(
      'NoSegment',
      `Точка${where} слишком далеко от дорог, доступных грузовику`,
      `A location${where} is too far from any road a truck may use: ${error.message}`,
    );
  }
  return new OptimizerInputError(
    'NoSegment',
    `Служба маршрутизации не смогла построить матрицу расстояний: ${error.code}`,
    `The routing engine could not build the travel matrix: ${error.code} ${error.message}`,
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
