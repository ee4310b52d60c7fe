import { REASONS, type BearerErrorCode, type ReasonCode } from './reasons';
import { formatBearerChallenge } from './www-authenticate';

/** The realm used in challenges when the verifier is given none. */
export const DEFAULT_REALM = 'api';

const BRAND = Symbol.for('bearerguard.BearerError');

/** Details a refusal may carry beyond its reason code. */
export interface BearerErrorDetails {
  /** Fixed, human text; never token content. Defaults to the reason's description. */
  description?: string;
  /** Scopes the resource needs (for `insufficient_scope`). */
  scope?: readonly string[];
  /** Seconds until the client may try again (for `rate_limited`). */
  retryAfter?: number;
  /** The realm of the challenge. */
  realm?: string;
  cause?: unknown;
}

/**
 * The one error bearerguard throws for a refused request. `status`, `statusCode`, `expose` and
 * `headers` follow the http-errors convention, so Express's and Koa's own error handlers answer
 * with the right status and `WWW-Authenticate` header without extra code.
 *
 * @example
 * try {
 *   await verifier.verify(token);
 * } catch (err) {
 *   if (err instanceof BearerError && err.code === 'token_expired') renewToken();
 * }
 */
export class BearerError extends Error {
  override readonly name = 'BearerError';
  /** The reason code (DESIGN.md); stable, what tests and callers should compare. */
  readonly code: ReasonCode;
  /** The HTTP status to answer with. */
  readonly status: number;
  /** The RFC 6750 error code, if the reason has one. */
  readonly error: BearerErrorCode | undefined;
  readonly description: string;
  readonly scope: readonly string[] | undefined;
  readonly retryAfter: number | undefined;
  /** Realm of the challenge; the verifier sets its own before the error leaves it. */
  realm: string;

  constructor(code: ReasonCode, details: BearerErrorDetails = {}) {
    const reason = REASONS[code];
    const description = details.description ?? reason.description;
    super(description, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = reason.status;
    this.error = reason.error;
    this.description = description;
    this.scope = details.scope;
    this.retryAfter = details.retryAfter;
    this.realm = details.realm ?? DEFAULT_REALM;
  }

  /** Same as `status`, for frameworks that read `statusCode`. */
  get statusCode(): number {
    return this.status;
  }

  /** Client errors are safe to show; a server fault (503) is not described to the client. */
  get expose(): boolean {
    return this.status < 500;
  }

  /** Response headers: the `WWW-Authenticate` challenge, and `Retry-After` when rate limited. */
  get headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.status === 401 || this.status === 400 || this.status === 403) {
      headers['WWW-Authenticate'] = formatBearerChallenge({
        realm: this.realm,
        error: this.error,
        // A challenge without an error code carries no description either (RFC 6750 §3.1).
        errorDescription: this.error ? this.description : undefined,
        scope: this.code === 'insufficient_scope' ? this.scope : undefined,
      });
    }
    if (this.retryAfter !== undefined) headers['Retry-After'] = String(this.retryAfter);
    return headers;
  }

  /** True for any BearerError, even one from another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  /** The JSON body the adapters' error responders send. */
  toJSON(): BearerErrorBody {
    return {
      error: this.error ?? this.code,
      error_description: this.expose ? this.description : REASONS[this.code].description,
      reason: this.code,
      ...(this.scope && this.code === 'insufficient_scope' ? { scope: this.scope.join(' ') } : {}),
    };
  }
}

Object.defineProperty(BearerError.prototype, BRAND, { value: true });

/** The JSON body of a refusal: the RFC 6750 error (or the reason code) and the reason code. */
export interface BearerErrorBody {
  error: string;
  error_description: string;
  reason: ReasonCode;
  scope?: string;
}

/** Narrows an unknown value to a BearerError. */
export function isBearerError(value: unknown): value is BearerError {
  return value instanceof BearerError;
}
