// PostgreSQL array literals built directly: node-postgres serializes array parameters element by
// element through a generic path, which was the largest single cost of a group commit.

/** `{1,2.5,NULL}` for int/float columns. Values must be finite (validation guarantees it). */
export function numberArrayLiteral(values: readonly (number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ',';
    out += value === null || value === undefined ? 'NULL' : String(value);
  }
  return `${out}}`;
}

/** `{t,f}` for boolean columns. */
export function booleanArrayLiteral(values: readonly boolean[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) out += i > 0 ? (values[i] ? ',t' : ',f') : values[i] ? 't' : 'f';
  return `${out}}`;
}

/** `{"a","b \\"quoted\\"",NULL}` for text columns: every element quoted, `"` and `\` escaped. */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) out += ',';
    out += value === null || value === undefined ? 'NULL' : `"${value.replace(/["\\]/g, '\\$&')}"`;
  }
  return `${out}}`;
}
