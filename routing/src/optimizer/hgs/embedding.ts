// Planar embedding of the nodes from the distance matrix alone (classical multidimensional scaling,
// Torgerson 1952). The solver receives matrices, not coordinates, but HGS-CVRP uses polar angles around
// the depot twice: to order routes in the giant tour (Vidal 2022, §3.2) and to prune SWAP* to route pairs
// whose circle sectors overlap (§4). For Euclidean instances the embedding recovers the coordinates up to
// a rotation/reflection, which leaves both uses unchanged; for road matrices it is a good approximation.

export interface Embedding {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Top-2 eigenvectors of B = -½·J·D²·J by power iteration with deflation and a final Rayleigh–Ritz step,
 * D symmetrised as (d_ij + d_ji)/2.
 * O(n²) per iteration; the iteration count shrinks with n so large matrices stay below ~1 s.
 */
export function embedDistanceMatrix(nodeCount: number, distance: Float64Array): Embedding {
  const n = nodeCount;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  if (n < 3) {
    for (let i = 0; i < n; i++) x[i] = distance[i]!;
    return { x, y };
  }
  const iterations = Math.max(8, Math.min(60, Math.floor(2e7 / (n * n))));
  // Squared symmetrised distances, once (row-major reads in the iterations below).
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const d = 0.5 * (distance[i * n + j]! + distance[j * n + i]!);
      d2[i * n + j] = d * d;
      d2[j * n + i] = d * d;
    }
  }
  const v1 = new Float64Array(n);
  const v2 = new Float64Array(n);
  const w = new Float64Array(n);
  const u = new Float64Array(n);
  // Deterministic, non-degenerate start vectors.
  for (let i = 0; i < n; i++) {
    v1[i] = Math.sin(i * 12.9898 + 1) * 0.5 + 0.1;
    v2[i] = Math.cos(i * 78.233 + 2) * 0.5 - 0.1;
  }
  const applyB = (src: Float64Array, dst: Float64Array): void => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += src[i]!;
    mean /= n;
    for (let i = 0; i < n; i++) w[i] = src[i]! - mean;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += d2[row + j]! * w[j]!;
      u[i] = s;
    }
    let m2 = 0;
    for (let i = 0; i < n; i++) m2 += u[i]!;
    m2 /= n;
    for (let i = 0; i < n; i++) dst[i] = -0.5 * (u[i]! - m2);
  };
  const normalise = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i]! * v[i]!;
    const norm = Math.sqrt(s);
    if (norm > 0) for (let i = 0; i < n; i++) v[i] = v[i]! / norm;
    return norm;
  };
  const orthogonalise = (v: Float64Array, against: Float64Array): void => {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += v[i]! * against[i]!;
    for (let i = 0; i < n; i++) v[i] = v[i]! - dot * against[i]!;
  };
  const tmp = new Float64Array(n);
  normalise(v1);
  for (let it = 0; it < iterations; it++) {
    applyB(v1, tmp);
    normalise(tmp);
    v1.set(tmp);
  }
  orthogonalise(v2, v1);
  normalise(v2);
  for (let it = 0; it < iterations; it++) {
    applyB(v2, tmp);
    orthogonalise(tmp, v1);
    normalise(tmp);
    v2.set(tmp);
  }
  // Rayleigh–Ritz on span(v1, v2): exact coordinates even when λ1 ≈ λ2 and v1 has not separated.
  const b1 = new Float64Array(n);
  const b2 = new Float64Array(n);
  applyB(v1, b1);
  applyB(v2, b2);
  let m11 = 0;
  let m12 = 0;
  let m22 = 0;
  for (let i = 0; i < n; i++) {
    m11 += v1[i]! * b1[i]!;
    m12 += v1[i]! * b2[i]!;
    m22 += v2[i]! * b2[i]!;
  }
  const theta = 0.5 * Math.atan2(2 * m12, m11 - m22);
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  const l1 = c * c * m11 + 2 * sn * c * m12 + sn * sn * m22;
  const l2 = sn * sn * m11 - 2 * sn * c * m12 + c * c * m22;
  const s1 = Math.sqrt(Math.max(l1, 0));
  const s2 = Math.sqrt(Math.max(l2, 0));
  for (let i = 0; i < n; i++) {
    x[i] = (c * v1[i]! + sn * v2[i]!) * s1;
    y[i] = (-sn * v1[i]! + c * v2[i]!) * s2;
  }
  return { x, y };
}

/** HGS-CVRP's integer polar angle in [0, 65536) of node i around node 0. */
export function polarAngles(embedding: Embedding): Int32Array {
  const { x, y } = embedding;
  const n = x.length;
  const angles = new Int32Array(n);
  const x0 = x[0]!;
  const y0 = y[0]!;
  for (let i = 0; i < n; i++) {
    const a = (32768 * Math.atan2(y[i]! - y0, x[i]! - x0)) / Math.PI;
    angles[i] = positiveMod(Math.trunc(a));
  }
  return angles;
}

export function positiveMod(i: number): number {
  return ((i % 65536) + 65536) % 65536;
}
