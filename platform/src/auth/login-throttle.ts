import { createHash } from 'node:crypto';
import { admitLoginAttempt, forgiveLoginFailures } from '../db/login-failures.js';
import { withTransaction, type Database } from '../db/pool.js';
import { ApiError } from '../http/api-error.js';

/** Brute-force limits of password login (OWASP Authentication Cheat Sheet: account and client limits). */
export interface LoginThrottleOptions {
  /** Failed attempts one login may have within the window; then it is refused until one leaves it. */
  maxFailuresPerLogin: number;
  /** Failed attempts one client address may have within the window, whatever logins it tries. */
  maxFailuresPerIp: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  maxFailuresPerLogin: 5,
  maxFailuresPerIp: 50,
  windowSeconds: 900,
};

/** An admitted attempt: report its outcome with `succeeded`, or leave it counted as a failure. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

export function tooManyAttempts(retryAfterSeconds: number): ApiError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new ApiError(
    429,
    'TOO_MANY_ATTEMPTS',
    `Слишком много неудачных попыток входа. Повторите через ${minutes} мин.`,
    `Too many failed login attempts. Try again in ${minutes} min.`,
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/**
 * Counts the attempt before the password is checked, or refuses it (429) when the login or the client
 * is over its limit. The key is the login as typed, hashed: unknown logins are counted exactly like
 * existing ones (the refusal says nothing of existence), and a password typed into the login field
 * is never stored.
 */
export async function beginLoginAttempt(
  db: Database,
  options: LoginThrottleOptions,
  loginName: string,
  clientIp: string,
): Promise<LoginAttempt> {
  const loginKey = `login:${createHash('sha256').update(loginName.toLowerCase()).digest('hex')}`;
  const admission = await withTransaction(db, (tx) =>
    admitLoginAttempt(
      tx,
      [
        { key: loginKey, maxFailures: options.maxFailuresPerLogin },
        { key: `ip:${clientIp}`, maxFailures: options.maxFailuresPerIp },
      ],
      options.windowSeconds,
    ),
  );
  if (!admission.admitted) throw tooManyAttempts(admission.retryAfterSeconds);
  return { succeeded: () => forgiveLoginFailures(db, loginKey, admission.attemptIds) };
}
