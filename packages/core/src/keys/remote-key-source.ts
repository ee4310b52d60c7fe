import { JwksClient } from 'jwks-rsa';
import { BearerError } from '../errors';
import type { EventBus } from '../events';
import { discoverJwksUri } from './discovery';
import { fetchJson, KeySourceError, type FetchLimits } from './fetch-json';
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
  private kidRefreshAt = Number.NEGATIVE_INFINITY;
  private nextAttemptAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private lastError: string | undefined;
  private inflight: Promise<void> | undefined;
  private client: JwksClient | undefined;

  constructor(
    private readonly issuer: string,
    private jwksUri: string | undefined,
    private readonly settings: RemoteKeySettings,
    private readonly events: EventBus,
    private readonly now: () => number,
  ) {}

  async candidates(kid: string | undefined, alg: string): Promise<TrustedKey[]> {
    const now = this.now();
    if (!this.isFresh(now)) {
      if (now >= this.nextAttemptAt) await this.refresh();
    } else if (now >= this.fetchedAt + this.settings.cacheMaxAgeMs * REFRESH_AHEAD) {
      if (now >= this.nextAttemptAt) void this.refresh();
    }
    const keys = this.usableKeys(this.now());
    if (!keys) throw this.unavailable();

    const found = keys.select(kid, alg);
    if (found.length > 0 || kid === undefined || keys.has(kid)) return this.orNotFound(found);

    // An unknown kid may be a key published since the last fetch (a rotation), or an attacker's
    // random kid: one refresh per cooldown for the whole key set serves the first and bounds
    // the second.
    const since = this.now();
    if (since - this.kidRefreshAt < this.settings.cooldownMs || since < this.nextAttemptAt) {
      throw new BearerError('key_not_found');
    }
    this.kidRefreshAt = since;
    await this.refresh();
    return this.orNotFound(this.usableKeys(this.now())?.select(kid, alg) ?? []);
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
      lastError: this.lastError,
      stale: !this.isFresh(this.now()),
    };
  }

  private isFresh(now: number): boolean {
    return this.keys !== undefined && now < this.fetchedAt + this.settings.cacheMaxAgeMs;
  }

  private usableKeys(now: number): KeySet | undefined {
    const { cacheMaxAgeMs, staleIfErrorMs } = this.settings;
    return now < this.fetchedAt + cacheMaxAgeMs + staleIfErrorMs ? this.keys : undefined;
  }

  private orNotFound(found: TrustedKey[]): TrustedKey[] {
    if (found.length === 0) throw new BearerError('key_not_found');
    return found;
  }

  private unavailable(): BearerError {
    return new BearerError('key_source_unavailable', {
      cause: new KeySourceError('network', this.lastError ?? 'No keys fetched yet'),
    });
  }

  /** One refresh at a time; callers during a refresh share it. Never rejects. */
  private refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
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
    this.lastError = undefined;
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
    const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** (this.failures - 1), this.settings.cooldownMs);
    this.nextAttemptAt = this.now() + backoff;
    this.lastError = err instanceof Error ? err.message : 'Unknown error';
    this.events.emit({
      type: 'keys.refresh_failed',
      message: this.lastError,
      issuer: this.issuer,
      jwksUri: this.jwksUri,
      error: err instanceof KeySourceError ? err.code : 'network',
      keyCount: this.keys?.size ?? 0,
      stale: !this.isFresh(this.now()),
    });
  }
}
