import { randomUUID, type KeyObject, type webcrypto } from 'node:crypto';
import { CompactSign, type CompactJWSHeaderParameters } from 'jose';
import type { KeyRing } from './keys';
import type { DevClient } from './options';

/**
 * How {@link DevIssuer.mint} signs a token. Every member is optional; with none the token is
 * signed like one from the token endpoint.
 *
 * @example
 * ```ts
 * // Signed by a key that is not in the JWKS, under a kid that is not either.
 * const token = await issuer.mint({}, { key: 'unpublished', kid: 'no-such-kid' });
 * ```
 */
export interface MintOptions {
  /** The `kid` header to write. Default: the current key's kid, whichever key signs. */
  kid?: string;
  /**
   * The signing key: `'current'` (default) the issuer's current key; `'unpublished'` a key of
   * the same algorithm that is never in the JWKS (one per algorithm, reused across calls); or
   * any private `CryptoKey` / `KeyObject` of your own.
   */
  key?: 'current' | 'unpublished' | webcrypto.CryptoKey | KeyObject;
  /**
   * The `alg` to sign with. Default: the issuer's algorithm. When it differs, `'current'`
   * means an unpublished key of this algorithm.
   */
  algorithm?: string;
  /**
   * Protected header members merged over the defaults `{ alg, typ: 'at+jwt', kid }`; a member
   * set to `undefined` is dropped, e.g. `{ typ: undefined }`. Use `algorithm` to change `alg`.
   */
  header?: Record<string, unknown>;
}

/** What the default claims of a token are made from. */
export interface TokenContext {
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  client: DevClient;
  /** Granted scopes; default: all of the client's scopes. */
  scopes?: string[];
}

/** Signs an RFC 9068 access token: default claims from `context`, then `claims` over them. */
export async function mintToken(
  keys: KeyRing,
  context: TokenContext,
  claims: Record<string, unknown> = {},
  options: MintOptions = {},
): Promise<string> {
  const payload = withoutUndefined({ ...defaultClaims(context), ...claims });
  const { alg, key } = await signingKey(keys, options);
  const header = buildHeader(alg, options.kid ?? keys.current.kid, options.header);
  // CompactSign rather than SignJWT, so that claims of any JSON value (a string `exp`, say)
  // reach the token exactly as given.
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header).sign(key);
}

/** The RFC 9068 §2.2 claims of a token for `context.client`, issued now. */
export function defaultClaims(context: TokenContext, nowMs = Date.now()): Record<string, unknown> {
  const iat = Math.floor(nowMs / 1000);
  const scopes = context.scopes ?? context.client.scopes;
  return {
    iss: context.issuer,
    sub: context.client.clientId,
    aud: context.audience,
    client_id: context.client.clientId,
    // RFC 9068 §2.2.3.1: absent rather than empty when no scope is granted.
    scope: scopes.length > 0 ? scopes.join(' ') : undefined,
    iat,
    exp: iat + context.tokenTtlSeconds,
    jti: randomUUID(),
  };
}

/** The protected header: `{ alg, typ: 'at+jwt', kid }` with `overrides` merged over it. */
export function buildHeader(
  alg: string,
  kid: string,
  overrides: Record<string, unknown> = {},
): CompactJWSHeaderParameters {
  if ('alg' in overrides && overrides.alg !== alg) {
    throw new TypeError('header.alg cannot differ from the signing alg; use options.algorithm');
  }

  // RFC 9068 §2.1: access tokens are typed `at+jwt`.
  const header = withoutUndefined({ alg, typ: 'at+jwt', kid, ...overrides });
  return header as CompactJWSHeaderParameters;
}

async function signingKey(
  keys: KeyRing,
  options: MintOptions,
): Promise<{ alg: string; key: webcrypto.CryptoKey | KeyObject }> {
  const alg = options.algorithm ?? keys.current.alg;
  const choice = options.key ?? 'current';

  if (typeof choice !== 'string') {
    return { alg, key: choice };
  }

  if (choice === 'current' && alg === keys.current.alg) {
    return { alg, key: keys.current.privateKey };
  }

  if (choice !== 'current' && choice !== 'unpublished') {
    throw new TypeError(`options.key must be 'current', 'unpublished' or a key, not '${choice}'`);
  }

  return { alg, key: (await keys.unpublished(alg)).privateKey };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
