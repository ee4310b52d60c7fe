import type { Response } from 'express';

/** RFC 6749 §5.2 error codes, plus RFC 8707 §2's `invalid_target` and this server's own two. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'not_found'
  | 'server_error';

/** The realm of the HTTP Basic challenge sent with `invalid_client`. */
export const BASIC_REALM = 'bearerguard-dev-issuer';

/**
 * An error the token endpoint answers with. `description` goes to the client, so it must never
 * contain a secret or a token.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly code: OAuthErrorCode;
  readonly status: number;

  constructor(code: OAuthErrorCode, status: number, description: string) {
    super(description);
    this.code = code;
    this.status = status;
  }
}

/** Sends `error` as an RFC 6749 §5.2 JSON body, never cached. */
export function sendOAuthError(res: Response, error: OAuthError): void {
  // RFC 6749 §5.2: a 401 answer to a client that tried to authenticate carries a challenge;
  // always sending it tells `curl -u` users which scheme to use.
  if (error.status === 401) {
    res.set('WWW-Authenticate', `Basic realm="${BASIC_REALM}"`);
  }
  res
    .status(error.status)
    .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
    .json({ error: error.code, error_description: error.message });
}
