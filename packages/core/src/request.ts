import { BearerError } from './errors';
import type { EventRequest } from './events';
import type { BearerRequest, RequestContext, TokenLocation } from './types';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token, the scheme matched case-insensitively.
const CREDENTIALS = /^(\S+)(?: +(.*))?$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function badRequest(description: string): BearerError {
  return new BearerError('invalid_request', { description });
}

// Node keeps only the first of repeated Authorization headers: count them in the raw headers.
function authorizationCount(request: BearerRequest): number {
  const raw = request.rawHeaders;
  if (!raw) return 1;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count += 1;
  }
  return count;
}

// The Authorization header's value, as the application's middleware left it (it may have set or
// removed it); throws if the client sent several.
function authorization(request: BearerRequest): string | undefined {
  const value = request.headers.authorization;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || authorizationCount(request) > 1) {
    throw badRequest('The request has more than one Authorization header');
  }
  return value;
}

function fromHeader(request: BearerRequest): string | undefined {
  const value = authorization(request);
  if (value === undefined) return undefined;
  // The usual form, "Bearer <token>", is taken as it is; the token's syntax is checked later.
  if (value.startsWith('Bearer ') && value.charCodeAt(7) !== 32) return value.slice(7);
  const match = CREDENTIALS.exec(value);
  if (!match || match[1]?.toLowerCase() !== 'bearer') {
    throw badRequest(
      /^bearer\s/i.test(value)
        ? 'The Authorization header must separate "Bearer" from its token with spaces only'
        : 'The Authorization header does not use the Bearer scheme',
    );
  }
  return match[2] ?? '';
}

function fromParameter(source: unknown, where: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>).access_token;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !B64TOKEN.test(value)) {
    throw badRequest(`The access_token ${where} parameter is not a well-formed bearer token`);
  }
  return value;
}

// RFC 6750 §2.2: a form-encoded body, and never on GET.
function fromBody(request: BearerRequest): string | undefined {
  const type = request.headers['content-type'];
  if (typeof type !== 'string' || !/^application\/x-www-form-urlencoded\b/i.test(type)) {
    return undefined;
  }
  if (request.method === 'GET') return undefined;
  return fromParameter(request.body, 'body');
}

/**
 * Finds the bearer token of a request in the enabled locations (RFC 6750 §2). Returns undefined
 * when there is none; throws `invalid_request` for a malformed header or a token in two places.
 *
 * A token from the Authorization header is returned before its syntax (b64token) is checked:
 * the caller checks it with {@link checkHeaderToken} unless the token is one it verified before,
 * which spares that scan of the whole token on the hot path.
 */
export function extractToken(
  request: BearerRequest,
  locations: ReadonlySet<TokenLocation>,
): string | undefined {
  const found: string[] = [];
  const header = locations.has('header') ? fromHeader(request) : undefined;
  if (header !== undefined) found.push(header);
  if (locations.has('query')) {
    const query = fromParameter(request.query, 'query');
    if (query !== undefined) found.push(query);
  }
  if (locations.has('body')) {
    const body = fromBody(request);
    if (body !== undefined) found.push(body);
  }
  if (found.length > 1) {
    if (header !== undefined) checkHeaderToken(header);
    throw badRequest('The request carries a token in more than one place');
  }
  return found[0];
}

/** Throws `invalid_request` unless `token` is an RFC 6750 §2.1 b64token. */
export function checkHeaderToken(token: string): void {
  if (!B64TOKEN.test(token)) {
    throw badRequest('The Authorization header does not carry a well-formed bearer token');
  }
}

// The request details of events, read from the request only if an event or the abuse monitor
// asks for them: a request that passes with no listener never reads them.
class LazyRequestContext implements RequestContext {
  readonly #request: BearerRequest;
  #ip: string | undefined | null = null;

  constructor(request: BearerRequest) {
    this.#request = request;
  }

  // Read by the abuse monitor twice per refusal, and costly behind a proxy: read once.
  get ip(): string | undefined {
    if (this.#ip === null) this.#ip = this.#request.ip;
    return this.#ip;
  }

  get method(): string | undefined {
    return this.#request.method;
  }

  get path(): string | undefined {
    return this.#request.path;
  }

  get requestId(): string | undefined {
    return this.#request.requestId;
  }

  get userAgent(): string | undefined {
    const userAgent = this.#request.headers['user-agent'];
    return typeof userAgent === 'string' ? userAgent : undefined;
  }

  // The details are getters, which JSON.stringify would not see.
  toJSON(): RequestContext {
    return plainContext(this);
  }
}

/** The details as a plain object, as events carry them and users' hooks receive them. */
export function plainContext(context: RequestContext): EventRequest {
  const { ip, method, path, requestId, userAgent } = context;
  return {
    ip,
    method,
    path,
    ...(requestId === undefined ? {} : { requestId }),
    ...(userAgent === undefined ? {} : { userAgent }),
  };
}

/** The request details that events carry, read when first asked for. */
export function requestContext(request: BearerRequest): RequestContext {
  return new LazyRequestContext(request);
}
