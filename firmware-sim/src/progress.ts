/** One progress reading of the whole fleet. */
export interface FleetProgress {
  elapsedS: number;
  vehicles: number;
  connected: number;
  generated: number;
  acknowledged: number;
  buffered: number;
  dropped: number;
  refused: number;
  errors: number;
}

export function formatProgress(p: FleetProgress): string {
  return [
    `${p.elapsedS.toFixed(0).padStart(4)}s`,
    `connected ${p.connected}/${p.vehicles}`,
    `generated ${p.generated}`,
    `acked ${p.acknowledged}`,
    `buffered ${p.buffered}`,
    `dropped ${p.dropped}`,
    `refused ${p.refused}`,
    `errors ${p.errors}`,
  ].join('  ');
}

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Rewrites one line in place on a terminal; appends lines when the output is a file or a pipe. */
export class ProgressPrinter {
  private written = false;

  constructor(private readonly output: ProgressOutput) {}

  update(progress: FleetProgress): void {
    const line = formatProgress(progress);
    if (this.output.isTTY) {
      this.output.write(`\r${line}\x1b[K`);
      this.written = true;
    } else {
      this.output.write(`${line}\n`);
    }
  }

  /** Ends the in-place line so what follows starts on a fresh one. */
  finish(): void {
    if (this.written) this.output.write('\n');
    this.written = false;
  }
}
