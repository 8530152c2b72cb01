import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from './pg-array.js';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe('array literals', () => {
  it('round-trip through PostgreSQL exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        // PostgreSQL text cannot hold NUL; validation keeps it out of every text column.
        fc.array(
          fc.option(
            fc.string({ maxLength: 20, unit: 'grapheme' }).map((t) => t.split('\u0000').join('')),
            { nil: null },
          ),
        ),
        fc.array(fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null })),
        fc.array(fc.boolean()),
        async (texts, numbers, booleans) => {
          const { rows } = await client.query('SELECT $1::text[] AS t, $2::float8[] AS n, $3::bool[] AS b', [
            textArrayLiteral(texts),
            numberArrayLiteral(numbers),
            booleanArrayLiteral(booleans),
          ]);
          expect(rows[0].t).toEqual(texts);
          expect(rows[0].n).toEqual(numbers.map((n) => (n === null ? null : n === 0 ? 0 : n)));
          expect(rows[0].b).toEqual(booleans);
        },
      ),
      { numRuns: 200 },
    );
  });
});
