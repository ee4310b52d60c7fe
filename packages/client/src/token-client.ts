import { inspect } from 'node:util';
import { sendWithToken } from './auth-fetch';
import { TokenRequestError } from './errors';
import { cacheEntry, type CachedToken } from './expiry';
import { resolveOptions, type ResolvedOptions, type TokenClientOptions } from './options';
import { TokenRequester } from './token-request';

/**
 * Obtains client-credentials tokens for one client, caches them and renews them ahead of expiry.
 * Create one per client and share it. Logged or inspected, it shows its endpoint, client id and
 * scope: never the secret or a token.
 *
 * @example
 * const client = createTokenClient({ issuer, clientId, clientSecret });
 * const token = await client.getToken();
 * const res = await client.authFetch('https://api.example.com/alerts');
 */
export interface TokenClient {
  /**
   * The current access token: from the cache while it is fresh, else a new one. Concurrent
   * callers share one request. A renewal that fails for a transient reason (network, 5xx, 429)
   * keeps serving the current token until it expires. Rejects with a TokenRequestError.
   *
   * @example
   * const headers = { authorization: `Bearer ${await client.getToken()}` };
   */
  getToken(): Promise<string>;
  /**
   * `fetch`, with `Authorization: Bearer <token>` added (replacing any). On a 401 whose challenge
   * says `invalid_token`, the token is renewed once and the request sent again.
   *
   * @example
   * const res = await client.authFetch('https://api.example.com/alerts', {
   *   method: 'POST',
   *   headers: { 'content-type': 'application/json' },
   *   body: JSON.stringify({ level: 'high' }),
   * });
   */
  authFetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /**
   * Drops the cached token, so that the next getToken asks for a new one. With a token, only
   * if it is still the cached one (so that many callers refused at once renew once).
   *
   * @example
   * if (res.status === 401) client.invalidate(token);
   */
  invalidate(token?: string): void;
}

class ClientCredentialsTokenClient implements TokenClient {
  // Private fields: util.inspect, console.log and JSON.stringify cannot see them.
  readonly #options: ResolvedOptions;
  readonly #requester: TokenRequester;
  #cached: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#requester = new TokenRequester(options);
    this.authFetch = this.authFetch.bind(this);
  }

  async getToken(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#options.now() < cached.renewAt) return cached.accessToken;
    return (await this.#renew()).accessToken;
  }

  authFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    return sendWithToken(this, this.#options.fetch, input, init);
  }

  invalidate(token?: string): void {
    if (token === undefined || this.#cached?.accessToken === token) this.#cached = undefined;
  }

  toJSON(): Record<string, unknown> {
    const { tokenEndpoint, issuer, clientId, scope } = this.#options;
    const shown = { tokenEndpoint, issuer, clientId, scope };
    return Object.fromEntries(Object.entries(shown).filter(([, value]) => value !== undefined));
  }

  [inspect.custom](): string {
    return `TokenClient ${inspect(this.toJSON())}`;
  }

  #renew(): Promise<CachedToken> {
    this.#inflight ??= this.#fetchToken().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetchToken(): Promise<CachedToken> {
    const previous = this.#cached;
    const sentAt = this.#options.now();
    try {
      const response = await this.#requester.request();
      this.#cached = cacheEntry(response, sentAt, this.#options.renewBeforeSeconds);
      return this.#cached;
    } catch (err) {
      const usable = previous !== undefined && this.#options.now() < previous.expiresAt;
      if (usable && err instanceof TokenRequestError && err.transient) return previous;
      throw err;
    }
  }
}

/**
 * Creates a client-credentials token client (RFC 6749 §4.4). Options are checked now: a bad
 * configuration throws a TypeError. Nothing is fetched until the first getToken.
 *
 * @example
 * import { createTokenClient } from '@bearerguard/client';
 *
 * const client = createTokenClient({
 *   issuer: 'https://auth.example.com',
 *   clientId: 'reporter',
 *   clientSecret: process.env.REPORTER_SECRET!,
 *   scope: ['alerts:read', 'alerts:write'],
 *   audience: 'https://api.example.com',
 * });
 * const res = await client.authFetch('https://api.example.com/alerts');
 */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  return new ClientCredentialsTokenClient(resolveOptions(options));
}
