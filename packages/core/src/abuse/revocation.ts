import { failOpenHook, reportError, type FailOpenHook } from './fail-open';
import { createMemoryStore, type BearerStore } from './store';

/** Options of {@link createRevocationList}. */
export interface RevocationListOptions {
  /** Where revocations live. Default: a bounded in-memory store. */
  store?: BearerStore;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Hears why the store failed a lookup. The list fails open, as the Redis store does: a token
   * whose lookup failed is not seen as revoked. Default: one process warning at the first failure.
   */
  onError?: FailOpenHook;
}

/** Revoked token ids (`jti`), each kept until the token would have expired anyway. */
export interface RevocationList {
  /**
   * Revokes a token id until `expiresAt` (a Date, or seconds since the epoch as in `exp`).
   * Rejects when the store fails, so that the caller knows the token is still accepted.
   */
  revoke(jti: string, expiresAt: Date | number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

/**
 * Creates a revocation list. Pass it as `revocations` to `createVerifier` or `requireBearer`:
 * a token whose `jti` is listed is refused with `token_revoked`.
 *
 * @example
 * const revocations = createRevocationList();
 * await revocations.revoke(claims.jti, claims.exp);
 */
export function createRevocationList(options: RevocationListOptions = {}): RevocationList {
  const store = options.store ?? createMemoryStore();
  const now = options.now ?? Date.now;
  const onError = failOpenHook(options.onError, 'revocation list');
  return {
    async revoke(jti, expiresAt) {
      const until = expiresAt instanceof Date ? expiresAt.getTime() : expiresAt * 1000;
      const t = now();
      if (until > t) await store.put(`revoked:${jti}`, until - t, t);
    },
    async isRevoked(jti) {
      try {
        return (await store.expiresAt(`revoked:${jti}`, now())) !== undefined;
      } catch (error) {
        reportError(onError, error);
        return false;
      }
    },
  };
}
