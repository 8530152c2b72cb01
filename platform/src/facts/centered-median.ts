/**
 * A centred running median over 2k+1 samples, streaming: sample i comes out once sample i+k is in
 * (or at flush, with the window cut at the end). In Hampel mode a sample is replaced by the
 * window's median only when it lies more than `nSigma` robust standard deviations (1.4826 · MAD)
 * and more than `minDeviation` from it; otherwise it passes unchanged. Each sample carries a time
 * and one auxiliary number through. Storage is fixed; pushing allocates nothing.
 */
export class CenteredMedian {
  private readonly size: number;
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private readonly aux: Float64Array;
  private readonly flags: Uint8Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private nextCenter = 0;

  constructor(
    private readonly halfWindow: number,
    private readonly emit: (value: number, timeMs: number, aux: number, flag: number) => void,
    private readonly hampel?: { nSigma: number; minDeviation: number },
  ) {
    this.size = 2 * halfWindow + 1;
    this.values = new Float64Array(this.size);
    this.times = new Float64Array(this.size);
    this.aux = new Float64Array(this.size);
    this.flags = new Uint8Array(this.size);
    this.scratch = new Float64Array(this.size);
  }

  reset(): void {
    this.count = 0;
    this.nextCenter = 0;
  }

  push(value: number, timeMs: number, aux: number, flag: number): void {
    const slot = this.count % this.size;
    this.values[slot] = value;
    this.times[slot] = timeMs;
    this.aux[slot] = aux;
    this.flags[slot] = flag;
    this.count++;
    while (this.nextCenter + this.halfWindow < this.count) this.emitCenter(this.count - 1);
  }

  /** Emits the samples still waiting for their right half. */
  flush(): void {
    while (this.nextCenter < this.count) this.emitCenter(this.count - 1);
    this.reset();
  }

  private emitCenter(lastIndex: number): void {
    const center = this.nextCenter++;
    const from = Math.max(0, center - this.halfWindow);
    const to = Math.min(lastIndex, center + this.halfWindow);
    const n = to - from + 1;
    const { scratch, values } = this;
    for (let i = 0; i < n; i++) scratch[i] = values[(from + i) % this.size] as number;
    const median = medianInPlace(scratch, n);
    const slot = center % this.size;
    const own = values[slot] as number;
    let out = median;
    if (this.hampel) {
      for (let i = 0; i < n; i++) scratch[i] = Math.abs((values[(from + i) % this.size] as number) - median);
      const mad = medianInPlace(scratch, n);
      const limit = Math.max(this.hampel.nSigma * 1.4826 * mad, this.hampel.minDeviation);
      out = Math.abs(own - median) > limit ? median : own;
    }
    this.emit(out, this.times[slot] as number, this.aux[slot] as number, this.flags[slot] as number);
  }
}

/** Median of the first n entries (insertion sort: n is a dozen or two). Reorders them. */
function medianInPlace(a: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const x = a[i] as number;
    let j = i - 1;
    while (j >= 0 && (a[j] as number) > x) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = x;
  }
  const mid = n >> 1;
  return n % 2 === 1 ? (a[mid] as number) : ((a[mid - 1] as number) + (a[mid] as number)) / 2;
}
