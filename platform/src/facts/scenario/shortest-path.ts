import { cruiseSpeedKmh } from '../../../../firmware-sim/src/road-class.js';
import type { RoadNetwork } from '../../../../firmware-sim/src/road-network.js';

/**
 * Fastest path between two nodes of the simulator's road network (Dijkstra on travel time at the
 * truck's cruise speed per road class). Returns the node sequence, `from` first; the network is
 * strongly connected, so a path always exists.
 */
export function shortestPath(network: RoadNetwork, from: number, to: number): number[] {
  if (from === to) return [from];
  const n = network.nodeCount;
  const cost = new Float64Array(n).fill(Infinity);
  const previous = new Int32Array(n).fill(-1);
  const heap = new NodeHeap();
  cost[from] = 0;
  heap.push(from, 0);
  while (heap.size > 0) {
    const node = heap.pop();
    if (node === to) break;
    const here = cost[node] as number;
    for (let e = network.firstEdge[node] as number; e < (network.firstEdge[node + 1] as number); e++) {
      const target = network.edgeTarget[e] as number;
      const seconds =
        (network.edgeLengthM[e] as number) / (cruiseSpeedKmh(network.edgeRoadClass[e] as number) / 3.6);
      if (here + seconds < (cost[target] as number)) {
        cost[target] = here + seconds;
        previous[target] = node;
        heap.push(target, here + seconds);
      }
    }
  }
  if (previous[to] === -1) throw new Error(`shortest path: node ${to} is not reachable from ${from}`);
  const path = [to];
  for (let node = to; node !== from;) {
    node = previous[node] as number;
    path.push(node);
  }
  return path.reverse();
}

/** Binary min-heap of (node, key) with lazy deletion: stale entries are skipped by the caller's costs. */
class NodeHeap {
  private nodes: number[] = [];
  private keys: number[] = [];
  private readonly settled = new Set<number>();

  get size(): number {
    this.dropSettled();
    return this.nodes.length;
  }

  push(node: number, key: number): void {
    const { nodes, keys } = this;
    let i = nodes.length;
    nodes.push(node);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((keys[parent] as number) <= key) break;
      nodes[i] = nodes[parent] as number;
      keys[i] = keys[parent] as number;
      i = parent;
    }
    nodes[i] = node;
    keys[i] = key;
  }

  pop(): number {
    this.dropSettled();
    const top = this.nodes[0] as number;
    this.removeTop();
    this.settled.add(top);
    return top;
  }

  private dropSettled(): void {
    while (this.nodes.length > 0 && this.settled.has(this.nodes[0] as number)) this.removeTop();
  }

  private removeTop(): void {
    const { nodes, keys } = this;
    const lastNode = nodes.pop() as number;
    const lastKey = keys.pop() as number;
    if (nodes.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= nodes.length) break;
      const right = left + 1;
      const child = right < nodes.length && (keys[right] as number) < (keys[left] as number) ? right : left;
      if ((keys[child] as number) >= lastKey) break;
      nodes[i] = nodes[child] as number;
      keys[i] = keys[child] as number;
      i = child;
    }
    nodes[i] = lastNode;
    keys[i] = lastKey;
  }
}
