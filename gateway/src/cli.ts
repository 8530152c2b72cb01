import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signAccessToken, type Role } from './auth/access-token.js';
import { generateDeviceSecret, hashDeviceSecret } from './auth/device-secret.js';
import { ConfigError, loadOptions, type Options } from './config.js';
import { deleteDevice, listDevices, setDeviceEnabled, upsertDevices } from './db/devices.js';
import { openDatabase } from './db/open-database.js';
import { migrateGatewaySchema } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { loadOrCreateSecret } from './auth/jwt-secret.js';

const USAGE = `usage: npm run gateway -- <command>

  device add ID [--carrier C] [--plate P] [--secret S]   provision one tracker, print its secret
  device add --count N [--prefix P] [--carrier C] --out FILE
                                                         provision N trackers, write credentials JSON
  device list                                            list trackers
  device disable ID | device enable ID | device remove ID
  token --role ROLE [--carrier C] [--sub NAME] [--ttl S] dashboard access token (development)
  migrate                                                apply pending migrations

The database is DATABASE_URL, else the embedded one of a running gateway (DATA_DIR/runtime.json),
else an embedded PostgreSQL started for the command.`;

async function withDatabase<T>(options: Options, work: (url: string) => Promise<T>): Promise<T> {
  const database = await openDatabase(options);
  try {
    await migrateGatewaySchema(database.url);
    return await work(database.url);
  } finally {
    await database.release();
  }
}

async function main(argv: string[]): Promise<void> {
  const options = loadOptions(process.env);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      carrier: { type: 'string' },
      plate: { type: 'string' },
      secret: { type: 'string' },
      count: { type: 'string' },
      prefix: { type: 'string', default: 'truck-' },
      out: { type: 'string' },
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  const [command, sub, id] = positionals;
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);

  if (command === 'migrate') {
    await withDatabase(options, async () => undefined);
    print('migrations applied');
    return;
  }
  if (command === 'token') {
    const role = values.role as Role | undefined;
    if (!role) throw new ConfigError('--role is required (admin, dispatcher, carrier, ...)');
    const secret = options.jwtSecret ?? (await loadOrCreateSecret(options.dataDir));
    print(
      await signAccessToken(
        { sub: values.sub ?? role, role, carrierId: values.carrier },
        secret,
        Number(values.ttl),
      ),
    );
    return;
  }
  if (command !== 'device') throw new ConfigError(USAGE);

  await withDatabase(options, async (url) => {
    const pool = createPool(url, 4);
    try {
      if (sub === 'add' && values.count) {
        const count = Number(values.count);
        if (!Number.isInteger(count) || count < 1 || count > 100_000)
          throw new ConfigError('--count must be 1..100000');
        if (!values.out)
          throw new ConfigError('--out FILE is required with --count (secrets are shown once)');
        const width = String(count).length;
        const devices = Array.from({ length: count }, (_, i) => ({
          id: `${values.prefix}${String(i + 1).padStart(Math.max(4, width), '0')}`,
          secret: generateDeviceSecret(),
        }));
        const hashes = await Promise.all(devices.map((d) => hashDeviceSecret(d.secret, 'generated')));
        await upsertDevices(
          pool,
          devices.map((d, i) => ({ id: d.id, secretHash: hashes[i]!, carrierId: values.carrier ?? null })),
        );
        await writeFile(values.out, JSON.stringify(devices, null, 2), { mode: 0o600 });
        print(`${count} devices provisioned; credentials in ${values.out}`);
      } else if (sub === 'add') {
        if (!id) throw new ConfigError('device add needs an ID');
        const secret = values.secret ?? generateDeviceSecret();
        await upsertDevices(pool, [
          {
            id,
            secretHash: await hashDeviceSecret(secret, values.secret ? 'chosen' : 'generated'),
            carrierId: values.carrier,
            vehiclePlate: values.plate,
          },
        ]);
        print(`device ${id} provisioned`);
        print(`  mqtt username/client id: ${id}`);
        print(`  mqtt password:           ${secret}`);
      } else if (sub === 'list') {
        for (const d of await listDevices(pool)) {
          print(
            `${d.id}\t${d.enabled ? 'enabled' : 'disabled'}\t${d.carrierId ?? '-'}\t${d.vehiclePlate ?? '-'}`,
          );
        }
      } else if ((sub === 'disable' || sub === 'enable') && id) {
        if (!(await setDeviceEnabled(pool, id, sub === 'enable'))) throw new ConfigError(`no device ${id}`);
        print(`device ${id} ${sub}d`);
      } else if (sub === 'remove' && id) {
        if (!(await deleteDevice(pool, id))) throw new ConfigError(`no device ${id}`);
        print(`device ${id} removed`);
      } else {
        throw new ConfigError(USAGE);
      }
    } finally {
      await pool.end();
    }
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(1);
});
