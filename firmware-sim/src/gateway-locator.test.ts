import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayNotFoundError, locateGateway, probeBroker } from './gateway-locator.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sim-locator-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function writeRuntime(info: object): Promise<void> {
  await writeFile(path.join(dataDir, 'runtime.json'), JSON.stringify(info));
}

describe('locateGateway', () => {
  it('uses the flags when both endpoints are given', async () => {
    const endpoints = await locateGateway({ mqttUrl: 'mqtt://a:1', databaseUrl: 'postgres://b/c' }, dataDir);
    expect(endpoints).toEqual({ mqttUrl: 'mqtt://a:1', databaseUrl: 'postgres://b/c', source: 'flags' });
  });

  it('reads runtime.json of a live gateway, flags overriding', async () => {
    await writeRuntime({
      databaseUrl: 'postgres://rt/db',
      mqttUrl: 'mqtt://rt:1883',
      httpUrl: 'http://rt',
      pid: process.pid,
    });
    expect(await locateGateway({}, dataDir)).toMatchObject({
      mqttUrl: 'mqtt://rt:1883',
      databaseUrl: 'postgres://rt/db',
    });
    expect((await locateGateway({ mqttUrl: 'mqtt://flag:1' }, dataDir)).mqttUrl).toBe('mqtt://flag:1');
  });

  it('refuses a missing or stale runtime.json with a hint', async () => {
    await expect(locateGateway({}, dataDir)).rejects.toThrow(/no running gateway found .* `npm start`/);
    // Past the default pid_max: no such process.
    await writeRuntime({
      databaseUrl: 'postgres://rt/db',
      mqttUrl: 'mqtt://rt:1',
      httpUrl: 'x',
      pid: 2 ** 22 + 1,
    });
    await expect(locateGateway({}, dataDir)).rejects.toThrow(GatewayNotFoundError);
    await expect(locateGateway({}, dataDir)).rejects.toThrow(/is stale/);
  });
});

describe('probeBroker', () => {
  it('resolves when the port accepts, names the address when it does not', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await expect(probeBroker(`mqtt://127.0.0.1:${port}`)).resolves.toBeUndefined();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(probeBroker(`mqtt://127.0.0.1:${port}`)).rejects.toThrow(
      `cannot reach the MQTT broker at mqtt://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });
});
