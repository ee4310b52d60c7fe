import { BearerError } from './errors';
import type { BearerRequest, RequestContext, TokenLocation } from './types';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token, the scheme matched case-insensitively.
const CREDENTIALS = /^(\S+)(?: +(.*))?$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function badRequest(description: string): BearerError {
  return new BearerError('invalid_request', { description });
}

function authorizationCount(request: BearerRequest): number {
  const raw = request.rawHeaders;
  if (!raw) return Array.isArray(request.headers.authorization) ? 2 : 1;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'authorization') count += 1;
  }
  return count;
}

function fromHeader(request: BearerRequest): string | undefined {
  const value = request.headers.authorization;
  if (value === undefined) return undefined;
  // Node keeps only the first of repeated Authorization headers: count them in the raw headers.
  if (typeof value !== 'string' || authorizationCount(request) > 1) {
    throw badRequest('The request has more than one Authorization header');
  }
  const match = CREDENTIALS.exec(value);
  if (!match || match[1]?.toLowerCase() !== 'bearer') {
    throw badRequest('The Authorization header does not use the Bearer scheme');
  }
  const token = match[2];
  if (!token || !B64TOKEN.test(token)) {
    throw badRequest('The Authorization header does not carry a well-formed bearer token');
  }
  return token;
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
  if (found.length > 1) throw badRequest('The request carries a token in more than one place');
  return found[0];
}

/** The request details that events carry. */
export function requestContext(request: BearerRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip,
    method: request.method,
    path: request.path,
    requestId: request.requestId,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
  };
}
