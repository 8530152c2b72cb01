import { describe, expect, it } from 'vitest';
import { OptionsError, parseSimOptions } from './options.js';

describe('parseSimOptions', () => {
  it('has defaults', () => {
    expect(parseSimOptions([], {})).toEqual({
      vehicles: 10,
      rateHz: 1,
      durationS: 60,
      osmFile: undefined,
      seed: 1,
      chaos: [],
      mqttUrl: undefined,
      databaseUrl: undefined,
      drainTimeoutS: 15,
      prefix: 'sim-',
      dataDir: './var',
      help: false,
    });
  });

  it('reads every flag', () => {
    const options = parseSimOptions(
      [
        '--vehicles',
        '200',
        '--rate',
        '0.5',
        '--duration',
        '90',
        '--osm',
        'x.osm.gz',
        '--seed',
        '9',
        '--chaos',
        'garbage,reconnect-storm',
        '--mqtt-url',
        'mqtt://127.0.0.1:1883',
        '--database-url',
        'postgres://u:p@127.0.0.1:5432/db',
        '--drain-timeout',
        '3',
        '--prefix',
        'load-',
      ],
      {},
    );
    expect(options).toMatchObject({
      vehicles: 200,
      rateHz: 0.5,
      durationS: 90,
      osmFile: 'x.osm.gz',
      seed: 9,
      chaos: ['garbage', 'reconnect-storm'],
      mqttUrl: 'mqtt://127.0.0.1:1883',
      databaseUrl: 'postgres://u:p@127.0.0.1:5432/db',
      drainTimeoutS: 3,
      prefix: 'load-',
    });
  });

  it('takes MQTT_URL, DATABASE_URL and DATA_DIR from the environment, flags first', () => {
    const env = { MQTT_URL: 'mqtt://env:1883', DATABASE_URL: 'postgres://env/db', DATA_DIR: '/tmp/x' };
    expect(parseSimOptions([], env)).toMatchObject({
      mqttUrl: 'mqtt://env:1883',
      databaseUrl: 'postgres://env/db',
      dataDir: '/tmp/x',
    });
    expect(parseSimOptions(['--mqtt-url', 'mqtt://flag:1883'], env).mqttUrl).toBe('mqtt://flag:1883');
  });

  it('names the flag and the expected form when a value is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['--vehicles', 'ten'], /^--vehicles: expected a whole number from 1 to 100000, got 'ten'$/],
      [['--vehicles', '0'], /^--vehicles: /],
      [['--rate', '0'], /^--rate: expected a number from 0.01 to 100/],
      [['--duration=-5'], /^--duration: /],
      [['--chaos', 'flood'], /^--chaos: unknown chaos mode 'flood'/],
      [['--mqtt-url', 'localhost:1883'], /^--mqtt-url: expected a mqtt\|mqtts/],
      [['--database-url', 'nope'], /^--database-url: expected a URL like postgres:\/\//],
      [['--prefix', 'a b'], /^--prefix: /],
      [['--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseSimOptions(argv, {})).toThrow(OptionsError);
      expect(() => parseSimOptions(argv, {})).toThrow(message);
    }
  });
});
