import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KeySource } from './keys/key-source';
import type { TrustedKey } from './keys/jwk';
import type { TokenClaims, TokenHeader } from './types';

/** A token whose signature was verified, and the key and key source that verified it. */
export interface SignedToken {
  header: TokenHeader;
  claims: TokenClaims;
  /** The token's scopes, read once. */
  scopes: readonly string[];
  key: TrustedKey;
  source: KeySource;
}

/**
 * Tokens whose signature has been verified, so that a token presented again skips the signature
 * (the costly step) but nothing else: claims (`exp` first of all), audience, revocation and scopes
 * are still checked on every request. Bounded in entries (least recently used first) and keyed by
 * the token's SHA-256, so the cache holds no raw token; an entry is used only while the key that
 * verified it is still one its issuer's key source holds.
 */
export class SignedTokenCache {
  private readonly entries: LRUCache<string, SignedToken>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The cache key of a token. */
  static key(token: string): string {
    return hash('sha256', token, 'base64url');
  }

  /** The entry for `id`, if its key is still held; answered without waiting for anything. */
  get(id: string): SignedToken | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.source.holds(entry.key)) return entry;
    this.entries.delete(id);
    return undefined;
  }

  set(id: string, entry: SignedToken): void {
    this.entries.set(id, entry);
  }
}
