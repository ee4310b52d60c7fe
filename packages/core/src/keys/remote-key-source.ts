import { JwksClient } from 'jwks-rsa';
import { BearerError } from '../errors';
import type { EventBus } from '../events';
import { discoverJwksUri } from './discovery';
import { checkUrl, fetchJson, KeySourceError, type FetchLimits } from './fetch-json';
import { KeySet, type TrustedKey } from './jwk';
import type { KeySource, KeySourceHealth } from './key-source';

/** Settings of a remote key source, defaults applied. Milliseconds. */
export interface RemoteKeySettings extends FetchLimits {
  cacheMaxAgeMs: number;
  cooldownMs: number;
  staleIfErrorMs: number;
  maxKeys: number;
}

// Keys are refreshed in the background once this share of their cache age has passed.
const REFRESH_AHEAD = 0.8;
// Failed fetches are retried after 1 s, then 2 s, 4 s... up to the cooldown (at least 1 s).
const FIRST_BACKOFF_MS = 1000;

/**
 * The keys of one issuer from its remote JWKS. Retrieval is jwks-rsa's, through a fetcher that
 * enforces a deadline, a size cap and no redirects; caching, cooldown and stale-if-error are here.
 *
 * - A cold cache is filled by one fetch that concurrent requests share.
 * - Keys are trusted for `cacheMaxAgeMs`, refreshed ahead of that in the background.
 * - An unknown `kid` causes at most one refresh per `cooldownMs`, whatever the number of kids.
 * - A failed or empty refresh keeps the last good keys for `staleIfErrorMs`, and backs off.
 * - With no usable keys, requests are answered `key_source_unavailable` at once.
 */
export class RemoteKeySource implements KeySource {
  private keys: KeySet | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private nextAttemptAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private lastFailure: Error | undefined;
  private inflight: Promise<void> | undefined;
  private client: JwksClient | undefined;

  constructor(
    private readonly issuer: string,
    private jwksUri: string | undefined,
    private readonly settings: RemoteKeySettings,
    private readonly events: EventBus,
    private readonly now: () => number,
  ) {
    // A URL that could never be fetched is a configuration mistake: a TypeError now, not a
    // 503 on every request later. Without a jwksUri, the issuer is where discovery starts.
    const [name, url] = jwksUri === undefined ? ['issuer', issuer] : ['jwksUri', jwksUri];
    try {
      checkUrl(url, settings.allowInsecureHttp);
    } catch (err) {
      const hint = 'https is required, but for loopback hosts or with "jwks.allowInsecureHttp"';
      throw new TypeError(`bearerguard: "${name}": ${(err as Error).message}; ${hint}`);
    }
  }

  candidates(
    kid: string | undefined,
    alg: string,
  ): readonly TrustedKey[] | Promise<readonly TrustedKey[]> {
    // The common case answers at once: fresh keys, and one of them fits.
    const now = this.now();
    if (this.keys && this.isFresh(now)) {
      const found = this.keys.select(kid, alg);
      if (found.length > 0) {
        if (now >= this.fetchedAt + this.settings.cacheMaxAgeMs * REFRESH_AHEAD)
          void this.freshen();
        return found;
      }
    }
    return this.awaitCandidates(kid, alg);
  }

  private async awaitCandidates(
    kid: string | undefined,
    alg: string,
  ): Promise<readonly TrustedKey[]> {
    await this.freshen();
    const keys = this.usableKeys();
    if (!keys) throw this.unavailable();

    const found = keys.select(kid, alg);
    if (found.length > 0) return found;
    if (kid === undefined || keys.has(kid)) throw new BearerError('key_not_found');

    // An unknown kid may be a key published since the last fetch (a rotation), or an attacker's
    // random kid: one fetch per cooldown for the whole key set serves the first and bounds
    // the second.
    if (!this.mayFetchForUnknownKid()) throw this.missing();
    await this.refresh();
    const refreshed = this.usableKeys()?.select(kid, alg) ?? [];
    if (refreshed.length === 0) throw this.missing();
    return refreshed;
  }

  holds(key: TrustedKey): boolean {
    const now = this.now();
    if (!this.isFresh(now)) return false;
    if (now >= this.fetchedAt + this.settings.cacheMaxAgeMs * REFRESH_AHEAD) void this.freshen();
    return this.keys?.includes(key) === true;
  }

  async ready(): Promise<void> {
    if (!this.keys) await this.refresh();
  }

  health(): KeySourceHealth {
    return {
      issuer: this.issuer,
      jwksUri: this.jwksUri,
      keyCount: this.keys?.size ?? 0,
      lastRefresh: this.keys ? new Date(this.fetchedAt).toISOString() : undefined,
      lastError: this.lastFailure?.message,
      stale: !this.isFresh(this.now()),
    };
  }

  // Expired keys are refreshed before use (a removed key must stop verifying at the cache age);
  // keys near their expiry are refreshed in the background, so that requests do not wait.
  private async freshen(): Promise<void> {
    const now = this.now();
    if (now < this.nextAttemptAt) return;
    if (!this.isFresh(now)) return this.refresh();
    if (now >= this.fetchedAt + this.settings.cacheMaxAgeMs * REFRESH_AHEAD) void this.refresh();
  }

  private isFresh(now: number): boolean {
    return this.keys !== undefined && now < this.fetchedAt + this.settings.cacheMaxAgeMs;
  }

  private usableKeys(): KeySet | undefined {
    const { cacheMaxAgeMs, staleIfErrorMs } = this.settings;
    return this.now() < this.fetchedAt + cacheMaxAgeMs + staleIfErrorMs ? this.keys : undefined;
  }

  // Any fetch, not only one caused by a kid, counts: keys fetched a moment ago are current.
  private mayFetchForUnknownKid(): boolean {
    const now = this.now();
    return now - this.attemptedAt >= this.settings.cooldownMs && now >= this.nextAttemptAt;
  }

  // While the endpoint fails, a kid we do not hold may be a key we could not fetch: that is a
  // server fault (503), not a bad token.
  private missing(): BearerError {
    return this.lastFailure ? this.unavailable() : new BearerError('key_not_found');
  }

  private unavailable(): BearerError {
    const cause = this.lastFailure ?? new KeySourceError('network', 'No keys fetched yet');
    return new BearerError('key_source_unavailable', { cause });
  }

  /** One refresh at a time; callers during a refresh share it. Never rejects. */
  private refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.attemptedAt = this.now();
    try {
      const client = await this.jwksClient();
      const jwks = await client.getKeys();
      if (!Array.isArray(jwks)) throw new KeySourceError('bad_document', 'No keys array');
      const keys = KeySet.fromJwks(jwks, this.settings.maxKeys);
      if (keys.size === 0) throw new KeySourceError('no_usable_keys', 'No usable signing keys');
      this.succeeded(keys);
    } catch (err) {
      this.failed(err);
    }
  }

  private async jwksClient(): Promise<JwksClient> {
    if (this.client) return this.client;
    this.jwksUri ??= await discoverJwksUri(this.issuer, this.settings);
    this.client = new JwksClient({
      jwksUri: this.jwksUri,
      cache: false,
      rateLimit: false,
      fetcher: (uri) => this.fetchJwks(uri),
    });
    return this.client;
  }

  private async fetchJwks(uri: string): Promise<{ keys: unknown }> {
    const document = await fetchJson(uri, this.settings);
    if (!Array.isArray(document.keys)) {
      throw new KeySourceError('bad_document', 'The JWKS has no keys array');
    }
    return { keys: document.keys };
  }

  private succeeded(keys: KeySet): void {
    this.keys = keys;
    this.fetchedAt = this.now();
    this.failures = 0;
    this.nextAttemptAt = Number.NEGATIVE_INFINITY;
    this.lastFailure = undefined;
    this.events.emit({
      type: 'keys.refreshed',
      message: `Fetched ${keys.size} signing key(s)`,
      issuer: this.issuer,
      jwksUri: this.jwksUri,
      keyCount: keys.size,
    });
  }

  private failed(err: unknown): void {
    this.failures += 1;
    const ceiling = Math.max(this.settings.cooldownMs, FIRST_BACKOFF_MS);
    this.nextAttemptAt =
      this.now() + Math.min(FIRST_BACKOFF_MS * 2 ** (this.failures - 1), ceiling);
    this.lastFailure = err instanceof Error ? err : new KeySourceError('network', 'Unknown error');
    this.events.emit({
      type: 'keys.refresh_failed',
      message: this.lastFailure.message,
      issuer: this.issuer,
      jwksUri: this.jwksUri,
      error: err instanceof KeySourceError ? err.code : 'network',
      keyCount: this.keys?.size ?? 0,
      stale: !this.isFresh(this.now()),
    });
  }
}
