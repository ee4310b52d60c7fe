/**
 * How the client authenticates to the token endpoint (RFC 6749 §2.3.1): HTTP Basic, or
 * `client_id` and `client_secret` in the form body.
 *
 * @example
 * const authMethod: ClientAuthMethod = 'client_secret_post';
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/**
 * Options of {@link requestToken}: where to ask, who asks, and how patiently. Give
 * `tokenEndpoint` or `issuer` (its token endpoint is then discovered from its metadata).
 *
 * @example
 * const options: TokenRequestOptions = {
 *   issuer: 'https://auth.example.com',
 *   clientId: 'reporter',
 *   clientSecret: process.env.REPORTER_SECRET!,
 *   scope: ['alerts:read', 'alerts:write'],
 * };
 */
export interface TokenRequestOptions {
  /** The token endpoint URL. Give this or `issuer`. */
  tokenEndpoint?: string;
  /**
   * The issuer, whose `token_endpoint` is read from `/.well-known/openid-configuration` (then
   * `/.well-known/oauth-authorization-server`); the document must name this issuer exactly.
   */
  issuer?: string;
  /** The client identifier. Required. */
  clientId: string;
  /** The client secret. Required. Never appears in an error, a log or `util.inspect`. */
  clientSecret: string;
  /** Scopes to ask for: a space-delimited string or a list. Default: none (the server's). */
  scope?: string | readonly string[];
  /** The API the token is for, sent as the `audience` parameter. Default: none. */
  audience?: string;
  /** `'client_secret_basic'` (HTTP Basic) or `'client_secret_post'` (form body). Default basic. */
  authMethod?: ClientAuthMethod;
  /** Retries of a transient failure (network, timeout, 5xx, 429). Default 3; 0 turns them off. */
  maxRetries?: number;
  /** First backoff delay, doubled each retry, with jitter, in milliseconds. Default 500. */
  retryDelayMs?: number;
  /**
   * Longest wait before a retry, in milliseconds. A `Retry-After` longer than this ends the
   * retries at once. Default 30000.
   */
  maxRetryDelayMs?: number;
  /** Deadline of one HTTP attempt (headers and body), in milliseconds. Default 10000. */
  timeoutMs?: number;
  /** Allow plain `http:` to hosts other than loopback. Default false: the secret is sent. */
  allowInsecureHttp?: boolean;
  /** A `fetch`-compatible function for discovery, token requests and authFetch. Default: global. */
  fetch?: typeof fetch;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Options of {@link createTokenClient}: those of {@link TokenRequestOptions}, plus when to renew.
 *
 * @example
 * const client = createTokenClient({
 *   tokenEndpoint: 'https://auth.example.com/oauth/token',
 *   clientId: 'reporter',
 *   clientSecret: process.env.REPORTER_SECRET!,
 *   renewBeforeSeconds: 30,
 * });
 */
export interface TokenClientOptions extends TokenRequestOptions {
  /**
   * How long before expiry a cached token is renewed, in seconds. Default: 60 s or a tenth of
   * the token's lifetime, whichever is smaller. Never more than half the lifetime.
   */
  renewBeforeSeconds?: number;
}

/** Options after validation, defaults applied. */
export interface ResolvedOptions {
  tokenEndpoint: string | undefined;
  issuer: string | undefined;
  clientId: string;
  clientSecret: string;
  scope: string | undefined;
  audience: string | undefined;
  authMethod: ClientAuthMethod;
  retry: RetryPolicy;
  timeoutMs: number;
  allowInsecureHttp: boolean;
  renewBeforeSeconds: number | undefined;
  fetch: typeof fetch;
  now: () => number;
}

/** How transient failures are retried. Milliseconds. */
export interface RetryPolicy {
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * Every default of the client, in one place (milliseconds, but `renewBeforeSeconds`).
 *
 * @example
 * createTokenClient({ ...options, maxRetries: DEFAULTS.maxRetries * 2 });
 */
export const DEFAULTS = {
  authMethod: 'client_secret_basic',
  maxRetries: 3,
  retryDelayMs: 500,
  maxRetryDelayMs: 30_000,
  timeoutMs: 10_000,
  renewBeforeSeconds: 60,
  renewBeforeShare: 0.1,
} as const;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function fail(message: string): never {
  throw new TypeError(`bearerguard client: ${message}`);
}

/** True for `https:`, and for `http:` to loopback (or anywhere, when allowed). */
export function isSafeUrl(url: string, allowInsecureHttp: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && (allowInsecureHttp || LOOPBACK.test(parsed.hostname));
}

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(`"${name}" must be a non-empty string`);
  return value;
}

function count(value: unknown, name: string, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0;
  if (!ok || (!allowZero && value === 0)) fail(`"${name}" must be a positive number`);
  return value;
}

// RFC 6749 §3.3: scope is a space-delimited list of scope tokens.
function resolveScope(scope: TokenRequestOptions['scope']): string | undefined {
  if (scope === undefined) return undefined;
  const list = typeof scope === 'string' ? scope.split(' ') : scope;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    fail('"scope" must be a string or a list of strings');
  }
  const tokens = [...new Set(list.flatMap((s: string) => s.split(' ')).filter(Boolean))];
  if (!tokens.every((s) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
    fail('"scope" holds a character RFC 6749 does not allow');
  }
  return tokens.length > 0 ? tokens.join(' ') : undefined;
}

function resolveEndpoint(options: TokenRequestOptions, allowInsecureHttp: boolean) {
  const { tokenEndpoint, issuer } = options;
  if ((tokenEndpoint === undefined) === (issuer === undefined)) {
    fail('give one of "tokenEndpoint" and "issuer"');
  }
  const [name, url] =
    tokenEndpoint !== undefined ? ['tokenEndpoint', tokenEndpoint] : ['issuer', issuer];
  nonEmpty(url, name);
  if (!isSafeUrl(url as string, allowInsecureHttp)) {
    fail(`"${name}" must be an https URL (plain http only to loopback)`);
  }
}

/** Validates options eagerly: a bad configuration is a TypeError now, not a failure later. */
export function resolveOptions(options: TokenClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options are required');
  const allowInsecureHttp = options.allowInsecureHttp === true;
  resolveEndpoint(options, allowInsecureHttp);
  const authMethod = options.authMethod ?? DEFAULTS.authMethod;
  if (authMethod !== 'client_secret_basic' && authMethod !== 'client_secret_post') {
    fail('"authMethod" must be client_secret_basic or client_secret_post');
  }
  for (const name of ['fetch', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') fail(`"${name}"`);
  }
  if (options.audience !== undefined) nonEmpty(options.audience, 'audience');

  return {
    tokenEndpoint: options.tokenEndpoint,
    issuer: options.issuer,
    clientId: nonEmpty(options.clientId, 'clientId'),
    clientSecret: nonEmpty(options.clientSecret, 'clientSecret'),
    scope: resolveScope(options.scope),
    audience: options.audience,
    authMethod,
    retry: {
      maxRetries: Math.floor(count(options.maxRetries, 'maxRetries', DEFAULTS.maxRetries, true)),
      retryDelayMs: count(options.retryDelayMs, 'retryDelayMs', DEFAULTS.retryDelayMs, true),
      maxRetryDelayMs: count(
        options.maxRetryDelayMs,
        'maxRetryDelayMs',
        DEFAULTS.maxRetryDelayMs,
        true,
      ),
    },
    timeoutMs: count(options.timeoutMs, 'timeoutMs', DEFAULTS.timeoutMs, false),
    allowInsecureHttp,
    renewBeforeSeconds:
      options.renewBeforeSeconds === undefined
        ? undefined
        : count(options.renewBeforeSeconds, 'renewBeforeSeconds', 0, true),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: options.now ?? Date.now,
  };
}
