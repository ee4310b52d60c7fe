/** Parameters of a `Bearer` challenge (RFC 6750 §3). */
export interface ChallengeParams {
  realm: string;
  error?: string;
  errorDescription?: string;
  scope?: readonly string[];
}

// RFC 6750 §3: error and error_description values are limited to %x20-21 / %x23-5B / %x5D-7E,
// and scope tokens to %x21 / %x23-5B / %x5D-7E. Anything else is dropped rather than escaped.
const NOT_DESCRIPTION_CHAR = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;
const NOT_SCOPE_CHAR = /[^\x21\x23-\x5b\x5d-\x7e]/g;

function quoted(value: string, notAllowed: RegExp): string {
  return `"${value.replace(notAllowed, '')}"`;
}

function clean(value: string | undefined): string {
  return (value ?? '').replace(NOT_DESCRIPTION_CHAR, '');
}

/**
 * Serializes a `WWW-Authenticate: Bearer` challenge. The one place such a header is written.
 *
 * @example
 * formatBearerChallenge({ realm: 'api', error: 'invalid_token' });
 * // 'Bearer realm="api", error="invalid_token"'
 */
export function formatBearerChallenge(params: ChallengeParams): string {
  const parts = [`realm=${quoted(params.realm, NOT_DESCRIPTION_CHAR)}`];
  if (clean(params.error)) parts.push(`error="${clean(params.error)}"`);
  if (clean(params.errorDescription)) {
    parts.push(`error_description="${clean(params.errorDescription)}"`);
  }
  if (params.scope && params.scope.length > 0) {
    const scopes = params.scope.map((s) => s.replace(NOT_SCOPE_CHAR, '')).filter(Boolean);
    parts.push(`scope="${scopes.join(' ')}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}
