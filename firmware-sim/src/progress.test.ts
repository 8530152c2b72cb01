import { describe, expect, it } from 'vitest';
import { formatProgress, ProgressPrinter, type FleetProgress } from './progress.js';

const progress: FleetProgress = {
  elapsedS: 12.4,
  vehicles: 5,
  connected: 4,
  generated: 60,
  acknowledged: 55,
  buffered: 5,
  dropped: 0,
  refused: 1,
  errors: 2,
};

function capture(isTTY: boolean): { output: string[]; printer: ProgressPrinter } {
  const output: string[] = [];
  return { output, printer: new ProgressPrinter({ isTTY, write: (text: string) => output.push(text) }) };
}

describe('progress', () => {
  it('names every counter', () => {
    expect(formatProgress(progress)).toBe(
      '  12s  connected 4/5  generated 60  acked 55  buffered 5  dropped 0  refused 1  errors 2',
    );
  });

  it('rewrites one line on a terminal and ends it once', () => {
    const { output, printer } = capture(true);
    printer.update(progress);
    printer.update(progress);
    printer.finish();
    expect(output.slice(0, 2).every((text) => text.startsWith('\r') && !text.includes('\n'))).toBe(true);
    expect(output[2]).toBe('\n');
  });

  it('appends whole lines to a pipe or file', () => {
    const { output, printer } = capture(false);
    printer.update(progress);
    printer.update(progress);
    printer.finish();
    expect(output).toHaveLength(2);
    expect(output.every((text) => !text.includes('\r') && text.endsWith('\n'))).toBe(true);
  });
});
