/**
 * Line and token helpers shared by the benchmark parsers. Every family mixes CRLF/LF and tabs/space runs
 * (../shared/data/vrp/README.md: "split on /\s+/"), so nothing here trusts a column position.
 */

/** Error thrown by every benchmark parser; `code` is machine-readable, the message names file and line. */
export class BenchParseError extends Error {
  readonly code = 'BenchParse';
  override readonly name = 'BenchParseError';
}

/** Lines without their `\r`, numbered from 1 for error messages. */
export function splitLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Whitespace-separated tokens of a line (tabs, space runs, leading/trailing blanks ignored). */
export function tokens(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/** A finite number or a parse error naming the file, line and field. */
export function toNumber(token: string | undefined, file: string, lineNo: number, field: string): number {
  const value = token === undefined ? Number.NaN : Number(token);
  if (!Number.isFinite(value)) {
    throw new BenchParseError(`${file}:${lineNo}: ${field} is not a number (${JSON.stringify(token ?? '')})`);
  }
  return value;
}

/** `Q Vehicle fuel tank capacity /79.69/` → ['Q', 79.69]; null when the line has no `/value/`. */
export function slashParameter(line: string): [string, number] | null {
  const match = /^\s*(\S+)\s.*\/\s*([-+0-9.eE]+)\s*\/\s*$/.exec(line);
  if (!match) return null;
  const value = Number(match[2]);
  return Number.isFinite(value) ? [match[1]!, value] : null;
}
