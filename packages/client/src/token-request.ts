import { discoverTokenEndpoint } from './discovery';
import { TokenRequestError } from './errors';
import { endpointLabel, exchange, transientStatusError, type HttpAnswer } from './http';
import type { ResolvedOptions } from './options';
import { withRetries } from './retry';
import { safeDescription } from './safe-text';

/**
 * A successful token response (RFC 6749 §5.1).
 *
 * @example
 * const response: TokenResponse = await requestToken(options);
 * console.log(response.tokenType, response.expiresIn, response.scope);
 */
export interface TokenResponse {
  /** The access token. */
  accessToken: string;
  /** `Bearer` (compared case-insensitively, RFC 6749 §7.1). */
  tokenType: string;
  /** Lifetime in seconds, as the server gave it; undefined when it did not. */
  expiresIn: number | undefined;
  /** The granted scopes, space-delimited; undefined when the server did not say. */
  scope: string | undefined;
  /** When the token expires, in milliseconds since the epoch, counted from when it was asked. */
  expiresAt: number | undefined;
  /** The JSON response as the server sent it. */
  body: Record<string, unknown>;
}

// RFC 6749 §5.2: error is one or more of %x20-21 / %x23-5B / %x5D-7E; real codes are words.
const ERROR_CODE = /^[a-z0-9_.-]{1,64}$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// RFC 6749 §2.3.1: the id and the secret are form-urlencoded before they are joined.
function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64');
}

/** The client_credentials request (RFC 6749 §4.4.2), credentials in the header or the body. */
function tokenRequestInit(options: ResolvedOptions): RequestInit {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scope !== undefined) form.set('scope', options.scope);
  if (options.audience !== undefined) form.set('audience', options.audience);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (options.authMethod === 'client_secret_basic') {
    headers.authorization = `Basic ${basicCredentials(options.clientId, options.clientSecret)}`;
  } else {
    form.set('client_id', options.clientId);
    form.set('client_secret', options.clientSecret);
  }
  return { method: 'POST', headers, body: form.toString() };
}

function expiresIn(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? seconds
    : undefined;
}

function readTokenResponse(body: unknown, label: string, sentAt: number): TokenResponse {
  const invalid = (what: string) =>
    new TokenRequestError('invalid_response', `${label} answered ${what}`, { status: 200 });
  if (!isObject(body)) throw invalid('no JSON object');
  const { access_token, token_type, scope } = body;
  if (typeof access_token !== 'string' || access_token === '') throw invalid('no access_token');
  // A missing token_type is taken as Bearer; another type (DPoP, MAC) cannot be sent as Bearer.
  const tokenType = typeof token_type === 'string' ? token_type : 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') throw invalid('a token_type other than Bearer');
  const seconds = expiresIn(body.expires_in);
  return {
    accessToken: access_token,
    tokenType,
    expiresIn: seconds,
    scope: typeof scope === 'string' ? scope : undefined,
    expiresAt: seconds === undefined ? undefined : sentAt + seconds * 1000,
    body,
  };
}

/** The error of a refused request: the RFC 6749 §5.2 body, or the bare status. */
function refusal(answer: HttpAnswer, label: string, options: ResolvedOptions): TokenRequestError {
  const { status, json } = answer;
  const transient = transientStatusError(answer, label, options.now());
  if (transient) return transient;
  if (status >= 300 && status < 400) {
    return new TokenRequestError('invalid_response', `${label} answered a redirect, not followed`, {
      status,
    });
  }
  const body = isObject(json) ? json : {};
  const error = typeof body.error === 'string' ? body.error : undefined;
  if (error === undefined || !ERROR_CODE.test(error)) {
    return new TokenRequestError('invalid_response', `${label} answered HTTP ${status}`, {
      status,
    });
  }
  const description = safeDescription(body.error_description, options.clientSecret);
  const detail = description === undefined ? '' : ` (${description})`;
  return new TokenRequestError(error, `Token request refused by ${label}: ${error}${detail}`, {
    status,
    description,
  });
}

/**
 * Asks for tokens for one client: finds the token endpoint once (discovery is shared by
 * concurrent callers, and retried after a failure), then makes each request with retries.
 */
export class TokenRequester {
  // Private fields: the options hold the secret, and util.inspect cannot see these.
  readonly #options: ResolvedOptions;
  #endpoint: Promise<string> | undefined;

  constructor(options: ResolvedOptions) {
    this.#options = options;
  }

  /** One token request, transient failures retried. */
  async request(): Promise<TokenResponse> {
    const endpoint = await this.#tokenEndpoint();
    return withRetries(() => this.#attempt(endpoint), this.#options.retry);
  }

  #tokenEndpoint(): Promise<string> {
    const { tokenEndpoint, issuer } = this.#options;
    if (tokenEndpoint !== undefined) return Promise.resolve(tokenEndpoint);
    this.#endpoint ??= withRetries(
      () => discoverTokenEndpoint(issuer as string, this.#options),
      this.#options.retry,
    ).catch((err: unknown) => {
      this.#endpoint = undefined;
      throw err;
    });
    return this.#endpoint;
  }

  async #attempt(endpoint: string): Promise<TokenResponse> {
    const label = endpointLabel(endpoint);
    const sentAt = this.#options.now();
    const answer = await exchange(endpoint, tokenRequestInit(this.#options), this.#options);
    if (answer.status >= 200 && answer.status < 300) {
      return readTokenResponse(answer.json, label, sentAt);
    }
    throw refusal(answer, label, this.#options);
  }
}
