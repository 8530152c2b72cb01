/**
 * A deliberately trivial baseline, for testing the benchmark runner until the real solver exists:
 * nearest-neighbour construction for CVRP and VRPTW only. Each route starts at the depot and repeatedly
 * appends the nearest unvisited customer that still fits (capacity, its time window, and the return to
 * the depot by the depot's due time); when none fits, the route closes. No improvement step, no use of
 * the time budget or the seed. Other families throw UnsupportedInstanceError.
 */
import type { BenchInstance } from './instance.js';
import { UnsupportedInstanceError, type SolveRequest, type SolveResult } from './solver.js';

export async function solveNearestNeighbour(request: SolveRequest): Promise<SolveResult> {
  const { instance } = request;
  if (instance.family !== 'cvrp' && instance.family !== 'vrptw') {
    throw new UnsupportedInstanceError(`nearest-neighbour handles cvrp and vrptw, not ${instance.family}`);
  }
  return buildNearestNeighbour(instance);
}

export function buildNearestNeighbour(instance: BenchInstance): SolveResult {
  const { nodes, capacity } = instance;
  const depot = nodes[0]!;
  const open = new Uint8Array(nodes.length);
  let remaining = 0;
  nodes.forEach((node, index) => {
    if (node.kind === 'customer') {
      open[index] = 1;
      remaining++;
    }
  });
  const routes: number[][] = [];
  while (remaining > 0) {
    const route: number[] = [];
    let at = 0;
    let time = depot.ready;
    let load = 0;
    for (;;) {
      let best = -1;
      let bestDistance = Number.POSITIVE_INFINITY;
      let bestBegin = 0;
      for (let c = 1; c < nodes.length; c++) {
        if (open[c] === 0) continue;
        const node = nodes[c]!;
        if (load + node.demand > capacity) continue;
        const begin = Math.max(time + instance.travelTime(at, c), node.ready);
        if (begin > node.due) continue;
        if (begin + node.service + instance.travelTime(c, 0) > depot.due) continue;
        const distance = instance.distance(at, c);
        if (distance < bestDistance) {
          best = c;
          bestDistance = distance;
          bestBegin = begin;
        }
      }
      if (best < 0) break;
      route.push(best);
      open[best] = 0;
      remaining--;
      load += nodes[best]!.demand;
      time = bestBegin + nodes[best]!.service;
      at = best;
    }
    if (route.length === 0) break; // what is left cannot be served even alone
    routes.push(route);
  }
  const unassigned: number[] = [];
  open.forEach((flag, index) => {
    if (flag === 1) unassigned.push(index);
  });
  return { routes, unassigned };
}
