import { createHash, timingSafeEqual } from 'node:crypto';
import type { FormParams } from './form';
import { OAuthError } from './oauth-error';
import type { DevClient } from './options';

/** Client credentials as presented, not yet checked. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const AUTHENTICATION_FAILED = 'client authentication failed';

/**
 * Reads the client credentials of a token request: HTTP Basic (`client_secret_basic`) or
 * `client_id` and `client_secret` in the body (`client_secret_post`), never both.
 */
export function readClientCredentials(
  authorization: string | undefined,
  form: FormParams,
): ClientCredentials | undefined {
  const basic = parseBasic(authorization);
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');

  // RFC 6749 §2.3: one authentication method per request. A body client_id that repeats the
  // Basic one only identifies the client (§3.2.1), so it is allowed.
  if (basic && (bodySecret !== undefined || (bodyId !== undefined && bodyId !== basic.clientId))) {
    throw new OAuthError('invalid_request', 400, 'use one client authentication method only');
  }

  if (basic) {
    return basic;
  }

  if (bodyId === undefined && bodySecret === undefined) {
    return undefined;
  }

  return { clientId: bodyId ?? '', clientSecret: bodySecret ?? '' };
}

/**
 * The request's Authorization header from its raw headers. Node would keep the first of several
 * and drop the rest unseen, so a repeated one is refused.
 */
export function authorizationHeader(rawHeaders: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== 'authorization') continue;
    if (found !== undefined) {
      throw new OAuthError('invalid_request', 400, 'send one Authorization header only');
    }
    found = rawHeaders[i + 1];
  }
  return found;
}

/** The registered client the credentials belong to; `invalid_client` when there is none. */
export function authenticateClient(
  clients: readonly DevClient[],
  credentials: ClientCredentials | undefined,
): DevClient {
  if (credentials === undefined) {
    throw new OAuthError('invalid_client', 401, 'client authentication is required');
  }

  const client = clients.find((c) => c.clientId === credentials.clientId);
  // Compare even for an unknown client, so both failures take the same time.
  const matches = secretsEqual(credentials.clientSecret, client?.clientSecret ?? '');
  if (client === undefined || !matches) {
    throw new OAuthError('invalid_client', 401, AUTHENTICATION_FAILED);
  }

  return client;
}

// Hashing first gives equal-length inputs, so timingSafeEqual leaks neither content nor length.
function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Credentials of a `Basic` Authorization header; `undefined` for no header or another scheme. */
function parseBasic(authorization: string | undefined): ClientCredentials | undefined {
  const match = /^basic(?: +(.*))?$/i.exec(authorization?.trim() ?? '');
  if (match === null) {
    return undefined;
  }

  const encoded = match[1] ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new OAuthError('invalid_client', 401, AUTHENTICATION_FAILED);
  }

  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new OAuthError('invalid_client', 401, AUTHENTICATION_FAILED);
  }

  // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and encoded.
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 401, AUTHENTICATION_FAILED);
  }
}
