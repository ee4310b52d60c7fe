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

interface Entry {
  /** SHA-256 of the whole token: what a hit is confirmed by. */
  digest: string;
  signed: SignedToken;
}

// Entries are found by the token's last characters (part of its signature; short enough that V8
// copies them, so no raw token is kept alive) and confirmed by the whole token's SHA-256.
const TAIL = 12;

/**
 * Tokens whose signature has been verified, so that a token presented again skips the signature
 * (the costly step) but nothing else: claims (`exp` first of all), audience, revocation and scopes
 * are still checked on every request.
 *
 * - Bounded in entries, least recently used first; no raw token is kept.
 * - A token is admitted on its second verification: tokens seen once (a flood of distinct or
 *   forged tokens) cost a set entry, not a cache entry, and are never hashed.
 * - An entry is used only while the key that verified it is still held by its issuer's key
 *   source, and a hit is confirmed by the SHA-256 of the whole token.
 */
export class SignedTokenCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly seenOnce = new Set<string>();

  constructor(private readonly maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The verified token, if it is cached and its key still held; answered at once. */
  get(token: string): SignedToken | undefined {
    const tail = token.slice(-TAIL);
    const entry = this.entries.get(tail);
    if (entry === undefined) return undefined;
    if (entry.digest !== digestOf(token) || !entry.signed.source.holds(entry.signed.key)) {
      return undefined;
    }
    return entry.signed;
  }

  /** Remembers a verified token, from its second verification on. */
  add(token: string, signed: SignedToken): void {
    const tail = token.slice(-TAIL);
    if (!this.seenOnce.delete(tail)) {
      if (this.seenOnce.size >= this.maxEntries) this.seenOnce.clear();
      this.seenOnce.add(tail);
      return;
    }
    this.entries.set(tail, { digest: digestOf(token), signed });
  }
}

function digestOf(token: string): string {
  return hash('sha256', token, 'base64url');
}
