import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openDatabase } from '@msw/gateway/db/open-database';
import { ROLES, SYSTEM_ACTOR, type Role } from './auth/actor.js';
import { hashPassword } from './auth/password-hash.js';
import { loadPlatformOptions, PlatformConfigError } from './config.js';
import { migratePlatformSchema } from './db/migrate.js';
import { createPlatformPool } from './db/pool.js';
import { createUser } from './db/users.js';

const USAGE = `usage: npm run platform -- <command>

  user add LOGIN --role ROLE [--carrier ID] [--name NAME] [--password P]
                          create a user; without --password one is generated and printed once
  migrate                 apply pending migrations (gateway's, then platform's)

The database is DATABASE_URL, else the embedded one of a running gateway (DATA_DIR/runtime.json),
else an embedded PostgreSQL started for the command.`;

async function main(argv: string[]): Promise<void> {
  const options = loadPlatformOptions(process.env);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      carrier: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const [command, sub, login] = positionals;
  if (command !== 'migrate' && !(command === 'user' && sub === 'add' && login))
    throw new PlatformConfigError(USAGE);
  const role = values.role as Role | undefined;
  if (command === 'user' && (!role || !ROLES.includes(role))) {
    throw new PlatformConfigError(`--role must be one of ${ROLES.join(', ')}`);
  }
  const database = await openDatabase(options);
  try {
    await migratePlatformSchema(database.url);
    if (command === 'migrate') {
      process.stdout.write('migrations applied\n');
      return;
    }
    const password = values.password ?? randomBytes(12).toString('base64url');
    if (password.length < 12) throw new PlatformConfigError('--password: at least 12 characters');
    const db = createPlatformPool(database.url, 2);
    try {
      const user = await createUser(db, SYSTEM_ACTOR, {
        login: login!.toLowerCase(),
        passwordHash: await hashPassword(password, options.passwordHashCost),
        role: role!,
        carrierId: values.carrier ?? null,
        fullName: values.name ?? null,
      });
      process.stdout.write(`user ${user.login} (${user.role}) created, id ${user.id}\n`);
      if (!values.password) process.stdout.write(`  password: ${password}\n`);
    } finally {
      await db.end();
    }
  } finally {
    await database.release();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message =
    error instanceof PlatformConfigError ? error.message : String((error as Error).stack ?? error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
