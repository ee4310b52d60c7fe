import type { Request } from 'express';
import { OAuthError } from './oauth-error';

/** Parameters of a token request, one value per name. */
export type FormParams = ReadonlyMap<string, string>;

/**
 * Reads the form body that `express.urlencoded` parsed, refusing any other content type and
 * repeated parameters.
 */
export function readForm(req: Request): FormParams {
  // RFC 6749 §4.4.2: the request body is application/x-www-form-urlencoded.
  if (!req.is('application/x-www-form-urlencoded') || !isRecord(req.body)) {
    throw new OAuthError(
      'invalid_request',
      400,
      'the body must be application/x-www-form-urlencoded',
    );
  }

  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(req.body)) {
    // RFC 6749 §3.2: parameters must not be repeated; the parser turns repeats into arrays.
    if (typeof value !== 'string') {
      throw new OAuthError('invalid_request', 400, 'request parameters must not be repeated');
    }
    // RFC 6749 §3.2: a parameter sent without a value is treated as omitted.
    if (value !== '') {
      params.set(name, value);
    }
  }
  return params;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
