import { contract } from '../ch/contract.js';
import type { ContractionHierarchy } from '../ch/contraction-hierarchy.js';
import type { DirectedGraph, Endpoint } from '../ch/graph.js';
import { HierarchyQuery } from '../ch/hierarchy-query.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { VehicleDimensions } from '../profile/truck-profile.js';
import type { TrafficProfile } from '../traffic/traffic-profile.js';
import { weekSlotOf } from '../traffic/week-slot.js';
import { closedPieces, closureKey, pieceWeights, turnDistances, turnWeights, type Metric } from './metric.js';
import { SnapIndex, type Phantom } from './snap-index.js';

/** A metric with its hierarchy and a reusable query over it. */
export interface MetricContext {
  key: string;
  metric: Metric;
  /** Week slot of the departure whose speeds the metric uses (-1: free flow). */
  slot: number;
  hierarchy: ContractionHierarchy;
  query: HierarchyQuery;
}

/** One leg: the pieces driven, from `startFraction` of the first to `endFraction` of the last. */
export interface LegPath {
  weightDs: number;
  distanceM: number;
  pieces: number[];
  startFraction: number;
  endFraction: number;
}

export interface RouterOptions {
  traffic?: TrafficProfile;
  /** Local time offset of the region, for week slots (Moscow: +180). */
  utcOffsetMinutes?: number;
  /** Customized hierarchies kept in memory (each costs about the size of the base one). */
  maxCachedMetrics?: number;
  /** Called when a metric is customized (log timing). */
  onCustomize?: (key: string, ms: number) => void;
}

/**
 * Shortest paths on the road graph between snapped coordinates. The base hierarchy answers
 * free-flow queries for any vehicle that fits every road; a departure time with traffic data, or a
 * vehicle that some roads exclude, gets a metric of its own, re-contracted in the base order
 * (customization) on first use and cached.
 */
export class RoadRouter {
  readonly snap: SnapIndex;
  readonly distances: Float32Array;
  /** Pieces that can turn into each piece (reverse adjacency of the turns), CSR. */
  private readonly predecessorFirst: Uint32Array;
  private readonly predecessors: Uint32Array;
  private readonly baseContext: MetricContext;
  private readonly cache = new Map<string, MetricContext>();
  private readonly utcOffsetMinutes: number;

  constructor(
    readonly graph: RoadGraph,
    base: ContractionHierarchy,
    private readonly options: RouterOptions = {},
  ) {
    this.snap = new SnapIndex(graph);
    this.distances = turnDistances(graph);
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? 180;
    this.predecessorFirst = new Uint32Array(graph.pieceCount + 1);
    for (let t = 0; t < graph.turnTarget.length; t++) this.predecessorFirst[graph.turnTarget[t]! + 1]! += 1;
    for (let q = 0; q < graph.pieceCount; q++) this.predecessorFirst[q + 1]! += this.predecessorFirst[q]!;
    this.predecessors = new Uint32Array(graph.turnTarget.length);
    const fill = this.predecessorFirst.slice(0, graph.pieceCount);
    for (let p = 0; p < graph.pieceCount; p++) {
      for (let t = graph.turnFirst[p]!; t < graph.turnFirst[p + 1]!; t++)
        this.predecessors[fill[graph.turnTarget[t]!]!++] = p;
    }
    this.baseContext = {
      key: '|',
      metric: { pieceWeightDs: pieceWeights(graph), closed: new Uint8Array(graph.pieceCount) },
      slot: -1,
      hierarchy: base,
      query: new HierarchyQuery(base),
    };
  }

  get traffic(): TrafficProfile | undefined {
    return this.options.traffic;
  }

  /** The metric for a departure time (ms, UTC) and a vehicle; customized and cached on first use. */
  context(departMs: number | undefined, vehicle: VehicleDimensions = {}): MetricContext {
    const traffic = this.options.traffic;
    const slot = traffic && departMs !== undefined ? weekSlotOf(departMs, this.utcOffsetMinutes) : -1;
    const slotKey = slot >= 0 && traffic ? traffic.slotKey(slot) : '';
    const closed = closedPieces(this.graph, vehicle);
    const key = `${slotKey}|${closureKey(closed)}`;
    if (key === '|') return this.baseContext;
    const cached = this.cache.get(key);
    if (cached) {
      // Least recently used goes first: re-insert on use.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const started = performance.now();
    const metric: Metric = {
      pieceWeightDs:
        slotKey === ''
          ? this.baseContext.metric.pieceWeightDs
          : pieceWeights(this.graph, traffic!.speedsAt(slot)),
      closed,
    };
    const hierarchy = contract(this.searchGraph(metric), { order: this.baseContext.hierarchy.order });
    const context: MetricContext = {
      key,
      metric,
      slot: slotKey === '' ? -1 : slot,
      hierarchy,
      query: new HierarchyQuery(hierarchy),
    };
    this.cache.set(key, context);
    while (this.cache.size > (this.options.maxCachedMetrics ?? 8))
      this.cache.delete(this.cache.keys().next().value!);
    this.options.onCustomize?.(key, performance.now() - started);
    return context;
  }

  /** The edge-expanded graph under a metric, as the contraction input. */
  searchGraph(metric: Metric): DirectedGraph {
    return {
      nodeCount: this.graph.pieceCount,
      firstEdge: this.graph.turnFirst,
      target: this.graph.turnTarget,
      weight: turnWeights(this.graph, metric),
      distance: this.distances,
    };
  }

  /** Snaps a coordinate onto roads open under the metric. */
  nearest(context: MetricContext, lon: number, lat: number, count = 1, radiusM = Infinity): Phantom[] {
    const closed = context.metric.closed;
    return this.snap.nearest(lon, lat, count, radiusM, (piece) => closed[piece] === 0);
  }

  /**
   * Where a search may start from a phantom: each open direction, minus the part behind the point.
   * A point at the very end of a piece (an intersection) may also leave by any following piece
   * without paying a turn it never makes.
   */
  sourceEndpoints(context: MetricContext, phantom: Phantom): Endpoint[] {
    const endpoints: Endpoint[] = [];
    const w = context.metric.pieceWeightDs;
    const length = this.graph.pieceLengthM;
    const closed = context.metric.closed;
    for (const [p, f] of this.directions(phantom)) {
      endpoints.push({ node: p, weight: -f * w[p]!, distance: -f * length[p]! });
      if ((1 - f) * length[p]! > AT_NODE_M) continue;
      for (let t = this.graph.turnFirst[p]!; t < this.graph.turnFirst[p + 1]!; t++) {
        const q = this.graph.turnTarget[t]!;
        if (closed[q] === 0 && q !== this.graph.pieceReverse[p])
          endpoints.push({ node: q, weight: 0, distance: 0 });
      }
    }
    return endpoints;
  }

  /**
   * Where a search may end at a phantom: entering its piece costs the part up to the point. A point
   * at the very start of a piece (an intersection) may also be reached at the end of any piece
   * leading there, without a last turn.
   */
  targetEndpoints(context: MetricContext, phantom: Phantom): Endpoint[] {
    const endpoints: Endpoint[] = [];
    const w = context.metric.pieceWeightDs;
    const length = this.graph.pieceLengthM;
    const closed = context.metric.closed;
    for (const [q, g] of this.directions(phantom)) {
      endpoints.push({ node: q, weight: g * w[q]!, distance: g * length[q]! });
      if (g * length[q]! > AT_NODE_M) continue;
      for (let k = this.predecessorFirst[q]!; k < this.predecessorFirst[q + 1]!; k++) {
        const r = this.predecessors[k]!;
        if (closed[r] === 0 && r !== this.graph.pieceReverse[q])
          endpoints.push({ node: r, weight: w[r]!, distance: length[r]! });
      }
    }
    return endpoints;
  }

  /** The open directions of a phantom with the fraction along each. */
  private directions(phantom: Phantom): [number, number][] {
    const out: [number, number][] = [];
    if (phantom.forwardPiece >= 0) out.push([phantom.forwardPiece, phantom.fraction]);
    if (phantom.reversePiece >= 0) out.push([phantom.reversePiece, 1 - phantom.fraction]);
    return out;
  }

  /** The fastest path between two phantoms, or undefined when none exists under the metric. */
  route(context: MetricContext, from: Phantom, to: Phantom): LegPath | undefined {
    let sources: ExpandedEndpoint[] = this.sourceEndpoints(context, from);
    const targets = this.targetEndpoints(context, to);
    // A target behind the start on the same piece cannot be reached by standing still: such a
    // source must first leave its piece (one step of expansion), so the search cannot meet there.
    const behind = sources.filter((s) => targets.some((t) => t.node === s.node && t.weight < -s.weight));
    if (behind.length > 0)
      sources = sources.flatMap((s) => (behind.includes(s) ? this.expand(context, s) : [s]));
    if (sources.length === 0 || targets.length === 0) return undefined;
    const path = context.query.route(sources, targets);
    if (!path) return undefined;
    const source = sources[path.sourceIndex]!;
    const target = targets[path.targetIndex]!;
    const pieces = Array.from(path.nodes);
    let startFraction: number;
    if (source.expandedFrom !== undefined) {
      pieces.unshift(source.expandedFrom.node);
      startFraction = this.fractionOf(source.expandedFrom);
    } else {
      startFraction = this.fractionOf(source);
    }
    const endPiece = target.node;
    const endFraction =
      this.graph.pieceLengthM[endPiece]! > 0 ? target.distance / this.graph.pieceLengthM[endPiece]! : 1;
    return {
      weightDs: path.weight,
      distanceM: path.distance,
      pieces,
      startFraction,
      endFraction: clamp01(endFraction),
    };
  }

  /** Weights and distances between every source and target phantom (row-major; Infinity = none). */
  table(
    context: MetricContext,
    sources: readonly Phantom[],
    targets: readonly Phantom[],
  ): { weights: Float64Array; distances: Float64Array } {
    const sourceSets = sources.map((p) => this.sourceEndpoints(context, p));
    const targetSets = targets.map((p) => this.targetEndpoints(context, p));
    const table = context.query.manyToMany(sourceSets, targetSets);
    // Cells where source and target share a piece with the target behind: the bucket search may
    // have met on that piece for a negative remainder; recompute them with a proper route.
    for (let i = 0; i < sources.length; i++) {
      for (let j = 0; j < targets.length; j++) {
        const conflict = sourceSets[i]!.some((s) =>
          targetSets[j]!.some((t) => t.node === s.node && t.weight < -s.weight),
        );
        if (!conflict) continue;
        const leg = this.route(context, sources[i]!, targets[j]!);
        table.weights[i * targets.length + j] = leg ? leg.weightDs : Infinity;
        table.distances[i * targets.length + j] = leg ? leg.distanceM : Infinity;
      }
    }
    return table;
  }

  private expand(context: MetricContext, source: Endpoint): ExpandedEndpoint[] {
    const graph = this.graph;
    const out: ExpandedEndpoint[] = [];
    const p = source.node;
    if (context.metric.closed[p] === 1) return out;
    for (let t = graph.turnFirst[p]!; t < graph.turnFirst[p + 1]!; t++) {
      const q = graph.turnTarget[t]!;
      if (context.metric.closed[q] === 1) continue;
      out.push({
        node: q,
        weight: source.weight + context.metric.pieceWeightDs[p]! + graph.turnPenaltyDs[t]!,
        distance: source.distance + graph.pieceLengthM[p]!,
        expandedFrom: source,
      });
    }
    return out;
  }

  private fractionOf(source: Endpoint): number {
    const length = this.graph.pieceLengthM[source.node]!;
    return length > 0 ? clamp01(-source.distance / length) : 0;
  }
}

// A snapped point this close (metres) to the end of its piece counts as at the intersection.
const AT_NODE_M = 0.5;

interface ExpandedEndpoint extends Endpoint {
  expandedFrom?: Endpoint;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
