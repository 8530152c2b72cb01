import { describe, expect, it } from 'vitest';
import { ConfigError, loadOptions } from './config.js';

describe('loadOptions', () => {
  it('applies the documented defaults', () => {
    const options = loadOptions({});
    expect(options).toMatchObject({
      host: '127.0.0.1',
      httpPort: 8080,
      mqttPort: 1883,
      mode: 'broker',
      dataDir: './var',
    });
    expect(options.databaseUrl).toBeUndefined();
  });

  it('names the variable and the expected form on bad input', () => {
    expect(() => loadOptions({ MQTT_PORT: 'eighteen' })).toThrow(ConfigError);
    expect(() => loadOptions({ MQTT_PORT: 'eighteen' })).toThrow(/^MQTT_PORT: /);
    expect(() => loadOptions({ PORT: '70000' })).toThrow(/^PORT: /);
    expect(() => loadOptions({ TLS_CERT_FILE: '/x.pem' })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE/);
    expect(() => loadOptions({ INGEST_MODE: 'worker' })).toThrow(/^MQTT_URL: /);
  });

  it('switches to worker mode when an external broker is given', () => {
    expect(loadOptions({ MQTT_URL: 'mqtt://127.0.0.1:1883' }).mode).toBe('worker');
  });
});
