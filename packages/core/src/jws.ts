import { BearerError } from './errors';
import type { TrustedKey } from './keys/jwk';
import { verifySignature, verifySignatureOffThread } from './signature';
import type { ParsedJws } from './token';
import type { TokenHeader } from './types';

/**
 * Finds the keys that may check a token's signature, given the parsed token (its header, and
 * its claims when it is a JWT). Throws a BearerError (`key_not_found`, or any check that must
 * come before keys are looked up) instead of returning none.
 */
export type KeyLookup<T extends ParsedJws> = (
  jws: T,
) => readonly TrustedKey[] | Promise<readonly TrustedKey[]>;

/**
 * The header checks of RFC 7515 and RFC 8725 §3.1: the algorithm must be on the allow-list
 * (never `none`), and no extension may be used. RFC 7515 §4.1.11: a `crit` member lists
 * extensions the verifier must understand; bearerguard understands none, so any `crit` is
 * refused, and so are RFC 7797 unencoded payloads (`b64`).
 */
export function checkHeader(header: TokenHeader, algorithms: ReadonlySet<string>): void {
  if (header.alg === 'none' || !algorithms.has(header.alg)) {
    throw new BearerError('algorithm_not_allowed');
  }
  if (header.crit !== undefined || header.b64 !== undefined) {
    throw new BearerError('malformed_token', {
      description: 'The token uses header extensions that are not supported',
    });
  }
}

/**
 * The signature layer of verification, after {@link parseJws} or {@link parseToken}: checks the
 * header, finds the candidate keys with `keysFor`, and verifies the signature (on the thread pool
 * with `offThread`). Gives the key that verified it, or a promise of it when `keysFor` or the
 * check must wait; the token's header and payload are then trusted. Refuses with a BearerError
 * (`algorithm_not_allowed`, `malformed_token`, `signature_invalid`, or whatever `keysFor`
 * throws, such as `key_not_found`).
 *
 * @example
 * const source = new StaticKeySource(issuer, KeySet.fromJwks(jwks.keys, 100));
 * const key = await verifyJws(parseJws(token, 8192), new Set(['ES256']), ({ header }) =>
 *   source.candidates(header.kid, header.alg),
 * );
 */
export function verifyJws<T extends ParsedJws>(
  jws: T,
  algorithms: ReadonlySet<string>,
  keysFor: KeyLookup<T>,
  offThread = false,
): TrustedKey | Promise<TrustedKey> {
  checkHeader(jws.header, algorithms);

  // Keys at hand are used at once; only a key source that must fetch, or a check on the thread
  // pool, makes this asynchronous.
  const candidates = keysFor(jws);
  const check = offThread ? verifiedOffThread : verifiedBy;
  return candidates instanceof Promise
    ? candidates.then((keys) => check(jws, keys))
    : check(jws, candidates);
}

async function verifiedOffThread(
  jws: ParsedJws,
  candidates: readonly TrustedKey[],
): Promise<TrustedKey> {
  const key = await verifySignatureOffThread(jws, jws.header.alg, candidates);
  if (!key) throw new BearerError('signature_invalid');
  return key;
}

function verifiedBy(jws: ParsedJws, candidates: readonly TrustedKey[]): TrustedKey {
  const key = verifySignature(jws, jws.header.alg, candidates);
  if (!key) throw new BearerError('signature_invalid');
  return key;
}
