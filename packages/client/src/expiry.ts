import { DEFAULTS } from './options';
import type { TokenResponse } from './token-request';

/** A token as the cache holds it. Milliseconds since the epoch. */
export interface CachedToken {
  accessToken: string;
  expiresAt: number;
  renewAt: number;
}

// RFC 6749 §5.1 only recommends expires_in: without it, the token's own `exp` is read (for
// timing only, never trusted), and failing that it is kept for a minute.
const FALLBACK_LIFETIME_MS = 60_000;

function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When to renew: `renewBeforeSeconds` before expiry (at most half the lifetime, so that a long
 * margin cannot make every call renew), else 60 s or a tenth of the lifetime, the smaller.
 */
export function cacheEntry(
  response: TokenResponse,
  sentAt: number,
  renewBeforeSeconds: number | undefined,
): CachedToken {
  const expiresAt =
    response.expiresAt ?? jwtExpiry(response.accessToken) ?? sentAt + FALLBACK_LIFETIME_MS;
  const given = response.expiresIn === undefined ? undefined : response.expiresIn * 1000;
  const lifetime = given ?? Math.max(0, expiresAt - sentAt);
  const margin =
    renewBeforeSeconds === undefined
      ? Math.min(DEFAULTS.renewBeforeSeconds * 1000, lifetime * DEFAULTS.renewBeforeShare)
      : Math.min(renewBeforeSeconds * 1000, lifetime / 2);
  return { accessToken: response.accessToken, expiresAt, renewAt: expiresAt - margin };
}
