import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATEWAY_ENV_VARIABLES } from '../gateway/src/config.js';
import { PLATFORM_ENV_VARIABLES } from '../platform/src/config.js';
import { ROUTING_ENV_VARIABLES } from '../routing/src/config.js';

const root = (file: string): string =>
  readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), 'utf8');

interface ComposeService {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
  profiles?: string[];
  volumes?: string[];
}

// No Docker engine runs here, so the compose file is checked structurally: it must stay valid
// YAML, every service must be runnable, and it may only set variables the services read.
describe('docker-compose.yml', () => {
  const compose = parse(root('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes: Record<string, unknown>;
  };

  it('defines TimescaleDB, the gateway, and the external-broker option with two workers', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'gateway',
      'ingest-1',
      'ingest-2',
      'mosquitto',
      'osrm',
      'platform',
      'routing',
      'routing-osrm',
      'timescaledb',
    ]);
    expect(compose.services['timescaledb']?.image).toMatch(/^timescale\/timescaledb:/);
    expect(compose.services['mosquitto']?.profiles).toEqual(['external-broker']);
  });

  it('gives every service an image or a build, and depends only on services that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image ?? service.build, name).toBeTruthy();
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(Object.keys(compose.services), `${name} -> ${dependency}`).toContain(dependency);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.startsWith('${') ? '$' : volume.split(':')[0]!;
        // Bind mounts (paths, possibly from a variable) need no named volume.
        if (!source.startsWith('.') && source !== '$')
          expect(Object.keys(compose.volumes), `${name}: ${volume}`).toContain(source);
      }
    }
  });

  it('sets only variables the gateway reads, and workers point at the external broker', () => {
    for (const name of ['gateway', 'ingest-1', 'ingest-2']) {
      const environment = compose.services[name]?.environment ?? {};
      for (const variable of Object.keys(environment))
        expect(GATEWAY_ENV_VARIABLES, `${name}: ${variable}`).toContain(variable);
      expect(environment['DATABASE_URL']).toContain('@timescaledb:5432/');
    }
    for (const name of ['routing', 'routing-osrm']) {
      for (const variable of Object.keys(compose.services[name]?.environment ?? {})) {
        expect(ROUTING_ENV_VARIABLES, `${name}: ${variable}`).toContain(variable);
      }
    }
    const platform = compose.services['platform']?.environment ?? {};
    for (const variable of Object.keys(platform))
      expect(PLATFORM_ENV_VARIABLES, `platform: ${variable}`).toContain(variable);
    expect(platform['DATABASE_URL']).toBe(compose.services['gateway']?.environment?.['DATABASE_URL']);
    // Platform-issued tokens must open the gateway's live map: one signing key.
    expect(platform['AUTH_JWT_SECRET']).toBe(compose.services['gateway']?.environment?.['AUTH_JWT_SECRET']);
    expect(compose.services['routing']?.environment?.['AUTH_JWT_SECRET']).toBe(platform['AUTH_JWT_SECRET']);
    expect(compose.services['routing-osrm']?.environment?.['OSRM_URL']).toBe('http://osrm:5000');
    expect(compose.services['ingest-1']?.environment?.['MQTT_URL']).toBe('mqtt://mosquitto:1883');
    expect(compose.services['ingest-1']?.environment?.['WORKER_ID']).not.toBe(
      compose.services['ingest-2']?.environment?.['WORKER_ID'],
    );
  });
});

describe('README', () => {
  it('documents every environment variable of the gateway, the routing service and the platform', () => {
    const readme = root('README.md');
    for (const variable of [...GATEWAY_ENV_VARIABLES, ...ROUTING_ENV_VARIABLES, ...PLATFORM_ENV_VARIABLES]) {
      expect(readme, variable).toContain(`\`${variable}\``);
    }
  });
});
