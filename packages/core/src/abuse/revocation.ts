import { createMemoryStore, type BearerStore } from './store';

/** Options of {@link createRevocationList}. */
export interface RevocationListOptions {
  /** Where revocations live. Default: a bounded in-memory store. */
  store?: BearerStore;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** Revoked token ids (`jti`), each kept until the token would have expired anyway. */
export interface RevocationList {
  /** Revokes a token id until `expiresAt` (a Date, or seconds since the epoch as in `exp`). */
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
  return {
    async revoke(jti, expiresAt) {
      const until = expiresAt instanceof Date ? expiresAt.getTime() : expiresAt * 1000;
      const t = now();
      if (until > t) await store.put(`revoked:${jti}`, until - t, t);
    },
    async isRevoked(jti) {
      return (await store.expiresAt(`revoked:${jti}`, now())) !== undefined;
    },
  };
}
