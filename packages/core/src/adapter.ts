// What the Express and Koa adapters share, so that each adapter only translates its framework's
// request and error handling.
import { BearerError } from './errors';
import { createVerifier, type AuthenticateOptions, type Verifier } from './verifier';
import type { BearerRequest, VerifierOptions } from './types';

/** Options of an adapter's `requireBearer`: the verifier's options, plus `optional`. */
export interface RequireBearerOptions extends VerifierOptions {
  /**
   * Let a request with no token through, unauthenticated. A token that is present but bad is
   * still refused. Default `false`.
   */
  optional?: boolean;
}

/** A verifier and whether a token is optional, for an adapter's `requireBearer`. */
export interface BearerGuard {
  verifier: Verifier;
  optional: boolean;
}

function isVerifier(value: RequireBearerOptions | Verifier): value is Verifier {
  return typeof (value as Partial<Verifier>).authenticate === 'function';
}

/**
 * Resolves an adapter's `requireBearer` arguments: verifier options (a verifier is created now,
 * so a bad configuration throws a TypeError at start-up), or a verifier shared between routes.
 *
 * @example
 * const { verifier, optional } = bearerGuard({ issuer, audience, optional: true });
 */
export function bearerGuard(
  input: RequireBearerOptions | Verifier,
  authOptions?: AuthenticateOptions,
): BearerGuard {
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('bearerguard: requireBearer() needs verifier options or a verifier');
  }
  if (isVerifier(input)) return { verifier: input, optional: optionalOf(authOptions) };
  if (authOptions !== undefined) {
    throw new TypeError(
      'bearerguard: requireBearer(options) takes one argument; put "optional" in it',
    );
  }
  const { optional, ...options } = input;
  return { verifier: createVerifier(options), optional: optionalOf({ optional }) };
}

// Checked as strictly as the verifier's options: a misspelt `optional` would otherwise refuse every
// request without a token, silently.
function optionalOf(options: unknown = {}): boolean {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('bearerguard: requireBearer(verifier, options) needs an options object');
  }
  const unknown = Object.keys(options).find((name) => name !== 'optional');
  if (unknown !== undefined) {
    throw new TypeError(
      `bearerguard: unknown requireBearer() option "${unknown}" (known: optional)`,
    );
  }
  const { optional } = options as AuthenticateOptions;
  if (optional !== undefined && typeof optional !== 'boolean') {
    throw new TypeError('bearerguard: "optional" must be true or false');
  }
  return optional === true;
}

/** What an Express `req` and a Koa `ctx.request` both offer. */
export interface FrameworkRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly method: string;
  readonly originalUrl: string;
  readonly query: unknown;
  readonly ip: string | undefined;
  /** Set only when a body parser ran first. */
  readonly body?: unknown;
}

// Reads each detail from the framework's request when the verifier asks for it: a request with a
// good token reads only its raw headers.
class FrameworkBearerRequest implements BearerRequest {
  readonly #request: FrameworkRequest;
  readonly #rawHeaders: readonly string[];

  constructor(request: FrameworkRequest, rawHeaders: readonly string[]) {
    this.#request = request;
    this.#rawHeaders = rawHeaders;
  }

  get rawHeaders(): readonly string[] {
    return this.#rawHeaders;
  }

  get headers(): BearerRequest['headers'] {
    return this.#request.headers;
  }

  get method(): string {
    return this.#request.method;
  }

  // The path as the client sent it, whatever router it is mounted on; never the query string,
  // which may carry a token (RFC 6750 §2.3).
  get path(): string | undefined {
    return this.#request.originalUrl.split('?', 1)[0];
  }

  get query(): Record<string, unknown> | undefined {
    const query = this.#request.query;
    return typeof query === 'object' && query !== null
      ? (query as Record<string, unknown>)
      : undefined;
  }

  get body(): unknown {
    return this.#request.body;
  }

  // The framework's client address, which honours its proxy setting.
  get ip(): string | undefined {
    return this.#request.ip;
  }

  get requestId(): string | undefined {
    const requestId = this.#request.headers['x-request-id'];
    return typeof requestId === 'string' ? requestId : undefined;
  }
}

/**
 * The framework-neutral view of an Express `req` or a Koa `ctx.request` that the verifier reads,
 * given the Node request's raw headers (in which a repeated Authorization header shows).
 *
 * @example
 * verifier.authenticate(frameworkRequest(ctx.request, ctx.req.rawHeaders));
 */
export function frameworkRequest(
  request: FrameworkRequest,
  rawHeaders: readonly string[],
): BearerRequest {
  return new FrameworkBearerRequest(request, rawHeaders);
}

/**
 * Checks the scope list of an adapter's `requireScopes` or `requireAnyScope` at start-up.
 *
 * @example
 * const required = scopeList(['alerts:read'], 'requireScopes');
 */
export function scopeList(scopes: readonly string[], guard: string): readonly string[] {
  if (scopes.length === 0 || !scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw new TypeError(
      `bearerguard: ${guard}() needs one or more scope names, each a single scope token ` +
        '(no spaces or quotes: pass several scopes as several arguments)',
    );
  }
  return scopes;
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

// The verifier that let a request through unauthenticated (`optional: true`), and its view of the
// request, so that a scope guard refuses the request as that verifier would: in its realm, with
// its `token.missing` event and its abuse count.
const letThrough = new WeakMap<object, { verifier: Verifier; request: BearerRequest }>();

/**
 * Remembers that `verifier` let `request` (the framework's request object) through without a
 * token; `view` is the verifier's view of it.
 */
export function rememberUnauthenticated(
  request: object,
  verifier: Verifier,
  view: BearerRequest,
): void {
  letThrough.set(request, { verifier, request: view });
}

/**
 * The refusal of a scope guard that finds no verified token on `request`: always rejects, with
 * `missing_token` from the verifier that let the request through (which reports it like any
 * refusal of its own), or with a plain `missing_token` if none did.
 */
export function refuseMissingToken(request: object): Promise<never> {
  const through = letThrough.get(request);
  if (!through) return Promise.reject(new BearerError('missing_token'));
  const { verifier, request: view } = through;
  // Without `optional`, the verifier refuses the request itself. Should a token have appeared
  // since, the guard still refuses: it saw none.
  return verifier.authenticate(view).then(() => {
    throw new BearerError('missing_token', { realm: verifier.realm });
  });
}
