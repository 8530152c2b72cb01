import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let embedded: Promise<EmbeddedDatabase> | undefined;
let embeddedDir: string | undefined;

/**
 * A fresh, empty database for one test file: a new database on the server at DATABASE_URL
 * (CI: the machine's PostgreSQL), or on an embedded PostgreSQL started once per file when
 * DATABASE_URL is unset.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'] ?? (await embeddedServer()).url;
  const name = `msw_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await stopEmbedded();
    },
  };
}

async function embeddedServer(): Promise<EmbeddedDatabase> {
  if (!embedded) {
    embeddedDir = await mkdtemp(path.join(tmpdir(), 'msw-pg-'));
    // As root, PostgreSQL runs as its own user, which must be able to enter the directory.
    await chmod(embeddedDir, 0o755);
    embedded = startEmbeddedPostgres({
      dataDir: path.join(embeddedDir, 'pg'),
      port: 56000 + Math.floor(Math.random() * 5000),
      database: 'postgres',
    });
  }
  return embedded;
}

async function stopEmbedded(): Promise<void> {
  if (!embedded) return;
  const server = await embedded;
  embedded = undefined;
  await server.stop();
  if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
}
