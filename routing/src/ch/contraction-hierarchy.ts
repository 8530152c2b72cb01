import { ChError } from './graph.js';

/** 'CHY1' little-endian: the first word of every serialized hierarchy. */
export const HIERARCHY_MAGIC = 0x31594843;
/** Bumped whenever the layout below changes; `from` refuses other versions. */
export const HIERARCHY_VERSION = 1;
/** In `upMiddle`/`downMiddle`: the edge is an original edge, not a shortcut. */
export const NO_MIDDLE = 0xffffffff;

const HEADER_BYTES = 32;
const HEADER_WORDS = HEADER_BYTES / 4;

/** Counts that size a hierarchy's buffer. */
export interface HierarchySize {
  nodeCount: number;
  upEdgeCount: number;
  downEdgeCount: number;
  shortcutCount: number;
  /** Edge count of the graph the hierarchy was contracted from (original edge ids are below it). */
  originalEdgeCount: number;
}

/**
 * A contraction hierarchy as typed-array views over ONE ArrayBuffer (flatbush/kdbush style), so it can
 * be written to disk or handed to a worker and rebuilt with `from` without copying.
 *
 * The search graphs are indexed by *rank* (contraction order), not by node id: the nodes every query
 * reaches — the top of the hierarchy — sit together at the end of the arrays.
 *
 * - Upward graph: for rank r, edges [upFirst[r], upFirst[r+1]) go r → upTarget (a higher rank), in the
 *   direction of the original graph. The forward search of a query runs on it.
 * - Downward graph: for rank r, edges [downFirst[r], downFirst[r+1]) come *from* downTarget (a higher
 *   rank) into r: the original direction is downTarget → r. The backward search runs on it.
 * - A shortcut (xMiddle !== NO_MIDDLE) stands for two edges meeting at its middle node m (an original
 *   node id, ranked below both ends): `xRef1` is the down edge (tail → m, stored at m) and `xRef2` the up
 *   edge (m → head, stored at m). An original edge keeps its original edge id in `xRef1`.
 *
 * Layout (byte offsets): 32-byte header [magic, version, nodeCount, upEdgeCount, downEdgeCount,
 * shortcutCount, originalEdgeCount, 0]; Float64 upDistance, downDistance; Uint32 order, rank, upFirst,
 * upTarget, upWeight, upMiddle, upRef1, upRef2, downFirst, downTarget, downWeight, downMiddle, downRef1,
 * downRef2.
 */
export class ContractionHierarchy {
  readonly data: ArrayBuffer;
  readonly nodeCount: number;
  readonly upEdgeCount: number;
  readonly downEdgeCount: number;
  readonly shortcutCount: number;
  readonly originalEdgeCount: number;
  /** Rank → node id: the contraction order (pass it to `contract` to customize a new metric). */
  readonly order: Uint32Array;
  /** Node id → rank. */
  readonly rank: Uint32Array;
  readonly upFirst: Uint32Array;
  readonly upTarget: Uint32Array;
  readonly upWeight: Uint32Array;
  readonly upDistance: Float64Array;
  readonly upMiddle: Uint32Array;
  readonly upRef1: Uint32Array;
  readonly upRef2: Uint32Array;
  readonly downFirst: Uint32Array;
  readonly downTarget: Uint32Array;
  readonly downWeight: Uint32Array;
  readonly downDistance: Float64Array;
  readonly downMiddle: Uint32Array;
  readonly downRef1: Uint32Array;
  readonly downRef2: Uint32Array;

  /** Views a serialized hierarchy without copying. */
  static from(data: ArrayBuffer): ContractionHierarchy {
    if (data.byteLength < HEADER_BYTES) {
      throw new ChError('InvalidBuffer', `hierarchy buffer too short: ${data.byteLength} bytes`);
    }
    const header = new Uint32Array(data, 0, HEADER_WORDS);
    if (header[0] !== HIERARCHY_MAGIC) {
      throw new ChError('InvalidBuffer', 'data does not appear to be a serialized contraction hierarchy');
    }
    if (header[1] !== HIERARCHY_VERSION) {
      throw new ChError('InvalidBuffer', `got v${header[1]} data when expected v${HIERARCHY_VERSION}`);
    }
    const size: HierarchySize = {
      nodeCount: header[2]!,
      upEdgeCount: header[3]!,
      downEdgeCount: header[4]!,
      shortcutCount: header[5]!,
      originalEdgeCount: header[6]!,
    };
    const expected = hierarchyByteLength(size);
    if (data.byteLength !== expected) {
      throw new ChError(
        'InvalidBuffer',
        `hierarchy buffer has ${data.byteLength} bytes, its header says ${expected}`,
      );
    }
    return new ContractionHierarchy(data, size);
  }

  /** An empty hierarchy of the given size with its header written; `contract` fills the arrays. */
  static allocate(size: HierarchySize): ContractionHierarchy {
    const data = new ArrayBuffer(hierarchyByteLength(size));
    const header = new Uint32Array(data, 0, HEADER_WORDS);
    header[0] = HIERARCHY_MAGIC;
    header[1] = HIERARCHY_VERSION;
    header[2] = size.nodeCount;
    header[3] = size.upEdgeCount;
    header[4] = size.downEdgeCount;
    header[5] = size.shortcutCount;
    header[6] = size.originalEdgeCount;
    return new ContractionHierarchy(data, size);
  }

  private constructor(data: ArrayBuffer, size: HierarchySize) {
    this.data = data;
    const n = size.nodeCount;
    const up = size.upEdgeCount;
    const down = size.downEdgeCount;
    this.nodeCount = n;
    this.upEdgeCount = up;
    this.downEdgeCount = down;
    this.shortcutCount = size.shortcutCount;
    this.originalEdgeCount = size.originalEdgeCount;
    let offset = HEADER_BYTES;
    const f64 = (length: number): Float64Array => {
      const view = new Float64Array(data, offset, length);
      offset += length * 8;
      return view;
    };
    const u32 = (length: number): Uint32Array => {
      const view = new Uint32Array(data, offset, length);
      offset += length * 4;
      return view;
    };
    this.upDistance = f64(up);
    this.downDistance = f64(down);
    this.order = u32(n);
    this.rank = u32(n);
    this.upFirst = u32(n + 1);
    this.upTarget = u32(up);
    this.upWeight = u32(up);
    this.upMiddle = u32(up);
    this.upRef1 = u32(up);
    this.upRef2 = u32(up);
    this.downFirst = u32(n + 1);
    this.downTarget = u32(down);
    this.downWeight = u32(down);
    this.downMiddle = u32(down);
    this.downRef1 = u32(down);
    this.downRef2 = u32(down);
  }
}

function hierarchyByteLength(size: HierarchySize): number {
  const { nodeCount: n, upEdgeCount: up, downEdgeCount: down } = size;
  return HEADER_BYTES + 8 * (up + down) + 4 * (2 * n + 2 * (n + 1) + 5 * up + 5 * down);
}

/**
 * The hierarchy as one ArrayBuffer: the buffer it already lives in (no copy, like kdbush's `.data`).
 * Transferring it to a worker detaches the views of `h`; slice it first to keep using `h`.
 */
export function serializeHierarchy(h: ContractionHierarchy): ArrayBuffer {
  return h.data;
}
