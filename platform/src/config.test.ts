import { describe, expect, it } from 'vitest';
import { loadPlatformOptions, PlatformConfigError } from './config.js';

describe('loadPlatformOptions', () => {
  it('applies the documented defaults', () => {
    const options = loadPlatformOptions({});
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      dataDir: './var',
      accessTokenTtlSeconds: 900,
    });
    expect(options.databaseUrl).toBeUndefined();
    expect(options.bootstrapAdmin).toBeUndefined();
  });

  it('names the variable and the expected form on bad input', () => {
    expect(() => loadPlatformOptions({ PLATFORM_PORT: 'http' })).toThrow(PlatformConfigError);
    expect(() => loadPlatformOptions({ PLATFORM_PORT: '70000' })).toThrow(/^PLATFORM_PORT: /);
    expect(() => loadPlatformOptions({ AUTH_JWT_SECRET: 'short' })).toThrow(/^AUTH_JWT_SECRET: /);
    expect(() => loadPlatformOptions({ PLATFORM_ADMIN_LOGIN: 'admin' })).toThrow(/set together/);
    expect(() => loadPlatformOptions({ PLATFORM_ADMIN_LOGIN: 'A B', PLATFORM_ADMIN_PASSWORD: 'x' })).toThrow(
      /^PLATFORM_ADMIN_LOGIN: /,
    );
  });

  it('reads the login throttle limits and the proxy setting', () => {
    expect(loadPlatformOptions({})).toMatchObject({
      loginThrottle: { maxFailuresPerLogin: 5, maxFailuresPerIp: 50, windowSeconds: 900 },
      trustProxy: false,
    });
    const options = loadPlatformOptions({
      PLATFORM_LOGIN_MAX_FAILURES: '3',
      PLATFORM_LOGIN_IP_MAX_FAILURES: '20',
      PLATFORM_LOGIN_WINDOW_S: '600',
      PLATFORM_TRUST_PROXY: 'true',
    });
    expect(options).toMatchObject({
      loginThrottle: { maxFailuresPerLogin: 3, maxFailuresPerIp: 20, windowSeconds: 600 },
      trustProxy: true,
    });
    expect(() => loadPlatformOptions({ PLATFORM_LOGIN_MAX_FAILURES: '0' })).toThrow(
      /^PLATFORM_LOGIN_MAX_FAILURES: /,
    );
    expect(() => loadPlatformOptions({ PLATFORM_TRUST_PROXY: 'yes' })).toThrow(/^PLATFORM_TRUST_PROXY: /);
  });

  it('reads the bootstrap admin', () => {
    const options = loadPlatformOptions({
      PLATFORM_ADMIN_LOGIN: 'root',
      PLATFORM_ADMIN_PASSWORD: 'correct horse battery',
    });
    expect(options.bootstrapAdmin).toEqual({ login: 'root', password: 'correct horse battery' });
  });
});
