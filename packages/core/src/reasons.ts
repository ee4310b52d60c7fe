/** The RFC 6750 §3.1 error codes a refusal can carry. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/** Every reason bearerguard gives for refusing a request (DESIGN.md, "Errors"). */
export type ReasonCode =
  | 'missing_token'
  | 'invalid_request'
  | 'malformed_token'
  | 'unsupported_token_type'
  | 'algorithm_not_allowed'
  | 'key_not_found'
  | 'signature_invalid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_too_old'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'claim_invalid'
  | 'token_revoked'
  | 'insufficient_scope'
  | 'key_source_unavailable'
  | 'rate_limited';

interface Reason {
  status: number;
  error?: BearerErrorCode;
  /** The default human description; fixed text, never token content. */
  description: string;
}

/** One row per reason code: its HTTP status, RFC 6750 error and default description. */
export const REASONS: Readonly<Record<ReasonCode, Reason>> = {
  missing_token: { status: 401, description: 'Authentication required' },
  invalid_request: {
    status: 400,
    error: 'invalid_request',
    description: 'The request does not carry a well-formed bearer token',
  },
  malformed_token: { status: 401, error: 'invalid_token', description: 'The token is malformed' },
  unsupported_token_type: {
    status: 401,
    error: 'invalid_token',
    description: 'The token type is not supported',
  },
  algorithm_not_allowed: {
    status: 401,
    error: 'invalid_token',
    description: 'The token algorithm is not allowed',
  },
  key_not_found: {
    status: 401,
    error: 'invalid_token',
    description: 'The token signing key is not known',
  },
  signature_invalid: {
    status: 401,
    error: 'invalid_token',
    description: 'The token signature is invalid',
  },
  token_expired: { status: 401, error: 'invalid_token', description: 'The token has expired' },
  token_not_yet_valid: {
    status: 401,
    error: 'invalid_token',
    description: 'The token is not valid yet',
  },
  token_too_old: { status: 401, error: 'invalid_token', description: 'The token is too old' },
  issuer_mismatch: {
    status: 401,
    error: 'invalid_token',
    description: 'The token issuer is not trusted',
  },
  audience_mismatch: {
    status: 401,
    error: 'invalid_token',
    description: 'The token is not meant for this audience',
  },
  claim_invalid: {
    status: 401,
    error: 'invalid_token',
    description: 'The token claims are invalid',
  },
  token_revoked: { status: 401, error: 'invalid_token', description: 'The token has been revoked' },
  insufficient_scope: {
    status: 403,
    error: 'insufficient_scope',
    description: 'The token does not carry the required scope',
  },
  key_source_unavailable: {
    status: 503,
    description: 'The token signing keys are temporarily unavailable',
  },
  rate_limited: { status: 429, description: 'Too many failed authentication attempts' },
};
