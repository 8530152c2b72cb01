/**
 * `npm start`: runs every service of the system, each in its own process (they share nothing but
 * the database and the environment), with its output prefixed by its name. One service failing
 * to start stops the others; Ctrl-C stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Service {
  name: string;
  args: string[];
  /** Start only once this service printed its ready line. */
  after?: { service: string; readyLine: string };
}

const SERVICES: Service[] = [
  // A larger young generation: ingest allocates short-lived objects per message (README, Performance).
  { name: 'gateway', args: ['--max-semi-space-size=64', '--import', 'tsx', 'gateway/src/main.ts'] },
  // Routing and platform start after the gateway: they share its embedded PostgreSQL (DATA_DIR/runtime.json;
  // plans, live state) and JWT key instead of starting a second server on the same data directory.
  {
    name: 'routing',
    args: ['--import', 'tsx', 'routing/src/main.ts'],
    after: { service: 'gateway', readyLine: 'msw gateway ready' },
  },
  {
    name: 'platform',
    args: ['--import', 'tsx', 'platform/src/main.ts'],
    after: { service: 'gateway', readyLine: 'msw gateway ready' },
  },
];

const children = new Map<string, ChildProcess>();
let stopping = false;

function prefixLines(
  name: string,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WriteStream,
  onLine?: (line: string) => void,
): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`[${name}] ${line}\n`);
      onLine?.(line);
    }
  });
  stream.on('end', () => {
    if (pending) out.write(`[${name}] ${pending}\n`);
  });
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) if (child.exitCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => process.exit(code), 10_000);
  timer.unref();
  const waitAll = (): void => {
    if ([...children.values()].every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code);
  };
  for (const child of children.values()) child.on('exit', waitAll);
  waitAll();
}

function startService(service: Service): void {
  if (stopping) return;
  const child = spawn(process.execPath, service.args, {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(service.name, child);
  const waiting = SERVICES.filter((other) => other.after?.service === service.name);
  prefixLines(service.name, child.stdout!, process.stdout, (line) => {
    for (const other of waiting) {
      if (!children.has(other.name) && line.includes(other.after!.readyLine)) startService(other);
    }
  });
  prefixLines(service.name, child.stderr!, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      `[${service.name}] exited (${signal ?? `code ${code}`}); stopping the other services\n`,
    );
    stopAll(code === 0 ? 1 : (code ?? 1));
  });
}

for (const service of SERVICES) if (!service.after) startService(service);
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
