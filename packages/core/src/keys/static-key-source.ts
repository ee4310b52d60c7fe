import { BearerError } from '../errors';
import type { KeySet, TrustedKey } from './jwk';
import type { KeySource, KeySourceHealth } from './key-source';

/** Keys given up front (a static JWKS or an HMAC secret): nothing to fetch, nothing to fail. */
export class StaticKeySource implements KeySource {
  constructor(
    private readonly issuer: string,
    private readonly keys: KeySet,
  ) {}

  candidates(kid: string | undefined, alg: string): readonly TrustedKey[] {
    const found = this.keys.select(kid, alg);
    if (found.length === 0) throw new BearerError('key_not_found');
    return found;
  }

  holds(key: TrustedKey): boolean {
    return this.keys.includes(key);
  }

  async ready(): Promise<void> {}

  health(): KeySourceHealth {
    const { issuer } = this;
    const keyCount = this.keys.size;
    return {
      issuer,
      jwksUri: undefined,
      keyCount,
      lastRefresh: undefined,
      lastError: undefined,
      stale: false,
    };
  }
}
