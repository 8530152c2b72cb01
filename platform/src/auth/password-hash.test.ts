import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.js';

describe('password hash', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('пароль-надёжный', 1024);
    const b = await hashPassword('пароль-надёжный', 1024);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('пароль-надёжный', a)).toBe(true);
    expect(await verifyPassword('пароль-надежный', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});
