import { describe, expect, it } from 'vitest';
import { haversineM } from './geo.js';
import { generateGridTown } from './grid-town.js';
import { findEdge } from './road-network.js';

describe('generateGridTown', () => {
  it('lays out rows x cols nodes, strongly connected, with one-way streets', () => {
    const town = generateGridTown({ rows: 9, cols: 7, spacingM: 200 });
    expect(town.nodeCount).toBe(63);
    expect(town.source).toMatch(/grid town/);
    // Row 1 runs one-way east: 1,0 -> 1,1 exists, the reverse does not.
    const node = (r: number, c: number): number => r * 7 + c;
    expect(findEdge(town, node(1, 0), node(1, 1))).toBeGreaterThanOrEqual(0);
    expect(findEdge(town, node(1, 1), node(1, 0))).toBe(-1);
    // Row 3 runs one-way west.
    expect(findEdge(town, node(3, 1), node(3, 0))).toBeGreaterThanOrEqual(0);
    expect(findEdge(town, node(3, 0), node(3, 1))).toBe(-1);
    // Every node keeps an exit (nothing was dropped as a dead end).
    const outDegrees = Array.from(
      { length: town.nodeCount },
      (_, n) => town.firstEdge[n + 1]! - town.firstEdge[n]!,
    );
    expect(Math.min(...outDegrees)).toBeGreaterThan(0);
  });

  it('spaces blocks as asked', () => {
    const town = generateGridTown({ rows: 3, cols: 3, spacingM: 150 });
    const { bbox } = town;
    expect(haversineM(bbox.minLat, bbox.minLon, bbox.maxLat, bbox.minLon)).toBeCloseTo(300, 0);
    expect(haversineM(bbox.minLat, bbox.minLon, bbox.minLat, bbox.maxLon)).toBeCloseTo(300, 0);
    for (let e = 0; e < town.edgeCount; e++) expect(town.edgeLengthM[e]).toBeCloseTo(150, 0);
  });
});
