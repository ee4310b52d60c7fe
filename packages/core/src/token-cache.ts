import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KeySource } from './keys/key-source';
import type { TrustedKey } from './keys/jwk';
import type { TokenClaims, TokenHeader } from './types';

/** A token whose signature was verified, and the key and key source that verified it. */
export interface SignedToken {
  header: TokenHeader;
  claims: TokenClaims;
  key: TrustedKey;
  source: KeySource;
}

/**
 * Tokens whose signature has been verified, so that a token presented again skips the signature
 * (the costly step) but nothing else: claims, audience, revocation and scopes are still checked
 * on every request. Bounded in entries (least recently used first), keyed by the token's SHA-256
 * (the raw token is not kept), never kept past the token's `exp`, and an entry is only used while
 * the key that verified it is still in the issuer's key set.
 */
export class SignedTokenCache {
  private readonly entries: LRUCache<string, SignedToken>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The cache key of a token: its SHA-256, so that the cache holds no raw token. */
  static key(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  async get(id: string): Promise<SignedToken | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    // The key source may have dropped the key (rotation, cache age): then verify afresh. Asking
    // the source also keeps its refresh schedule and its outage answers on cache hits.
    const { header, key, source } = entry;
    if ((await source.candidates(header.kid, header.alg)).includes(key)) return entry;
    this.entries.delete(id);
    return undefined;
  }

  set(id: string, entry: SignedToken, nowMs: number): void {
    const ttl = (entry.claims.exp as number) * 1000 - nowMs;
    if (ttl > 0) this.entries.set(id, entry, { ttl });
  }
}
