/**
 * Why a token request failed: an RFC 6749 §5.2 error the server answered (`invalid_client`,
 * `invalid_scope`, `invalid_grant`, `unauthorized_client`, `unsupported_grant_type`,
 * `invalid_request`, `invalid_target`, or another it names), or one of bearerguard's own:
 *
 * - `network`: the server could not be reached;
 * - `timeout`: it did not answer within `timeoutMs`;
 * - `server_error`: it answered 5xx;
 * - `rate_limited`: it answered 429;
 * - `invalid_response`: it answered something that is not a token response or an RFC 6749
 *   error (a redirect, a 404 page, no `access_token`, a `token_type` other than Bearer);
 * - `invalid_metadata`: the issuer's metadata is unusable (another issuer, no token endpoint).
 *
 * @example
 * const retryLater: TokenErrorCode[] = ['network', 'timeout', 'server_error', 'rate_limited'];
 */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'invalid_response'
  | 'invalid_metadata'
  | (string & {});

const TRANSIENT: ReadonlySet<string> = new Set([
  'network',
  'timeout',
  'server_error',
  'rate_limited',
]);

/** Details of a {@link TokenRequestError}. */
export interface TokenRequestErrorDetails {
  /** The HTTP status of the answer, if there was one. */
  status?: number;
  /** The server's `error_description`, already made safe to show. */
  description?: string;
  /** Seconds the server asked to wait (`Retry-After`). */
  retryAfter?: number;
  /** How many requests were made before giving up. */
  attempts?: number;
  cause?: unknown;
}

/**
 * A failed token request. Compare `code`, which is stable; the message names the endpoint and
 * the fault, never the client secret or a token.
 *
 * @example
 * try {
 *   await client.getToken();
 * } catch (err) {
 *   if (err instanceof TokenRequestError && err.code === 'invalid_client') rotateSecret();
 *   else throw err;
 * }
 */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  /** The RFC 6749 error code, or bearerguard's own (see {@link TokenErrorCode}). */
  readonly code: TokenErrorCode;
  /** The HTTP status of the answer; undefined when there was none. */
  readonly status: number | undefined;
  /** The server's `error_description`, printable characters only, the secret redacted. */
  readonly description: string | undefined;
  /** Seconds the server asked to wait before trying again, if it said. */
  readonly retryAfter: number | undefined;
  /** How many requests were made, retries included (the retry loop sets it). */
  attempts: number;

  constructor(code: TokenErrorCode, message: string, details: TokenRequestErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.description = details.description;
    this.retryAfter = details.retryAfter;
    this.attempts = details.attempts ?? 1;
  }

  /** True for failures worth retrying: network, timeout, 5xx and 429. */
  get transient(): boolean {
    return TRANSIENT.has(this.code);
  }

  /** A plain object for logs: code, status, message; no secret, no token. */
  toJSON(): Record<string, unknown> {
    const { name, code, status, message, description, retryAfter, attempts } = this;
    return { name, code, status, message, description, retryAfter, attempts };
  }
}
