import type { BearerError } from '@bearerguard/core';
import type { UntrustedToken } from './jwt';
import { describeExpiry, describeNotBefore } from './time';

/** One step of verification, in the order the core takes them. */
export type CheckId =
  | 'syntax'
  | 'algorithm'
  | 'type'
  | 'issuer'
  | 'key'
  | 'signature'
  | 'times'
  | 'audience'
  | 'claims'
  | 'scopes';

/** Passed, failed (the verdict), never run because an earlier one failed, or not asked for. */
export type CheckStatus = 'pass' | 'fail' | 'not_reached' | 'skipped';

/** One line of `bearerguard verify`. */
export interface Check {
  id: CheckId;
  label: string;
  status: CheckStatus;
  detail: string;
}

/** What the token was checked against. */
export interface Expected {
  issuer: string;
  audience: readonly string[];
  scopes: readonly string[];
  strict: boolean;
}

/** Everything the lines are derived from. */
export interface CheckInput {
  token: UntrustedToken | undefined;
  /** The verifier's refusal; undefined when the token was accepted. */
  error: BearerError | undefined;
  expected: Expected;
  nowMs: number;
}

// The core's order: syntax, alg, typ, issuer, key, signature, claims (times, audience, the
// rest), then scopes (verifier.ts `check`, claims.ts `checkClaims`, scopes.ts).
const CHECKS: readonly (readonly [CheckId, string])[] = [
  ['syntax', 'Token syntax'],
  ['algorithm', 'Header and alg'],
  ['type', 'Token type'],
  ['issuer', 'Issuer'],
  ['key', 'Signing key'],
  ['signature', 'Signature'],
  ['times', 'Expiry'],
  ['audience', 'Audience'],
  ['claims', 'Other claims'],
  ['scopes', 'Scopes'],
];

// The core's claim_invalid descriptions for time claims: a bad value, or a missing exp (or iat
// under maxTokenAge). A required claim that is missing (`The token has no "iat" claim`) comes
// later, with the other claims.
const TIME_CLAIM = /"(exp|nbf|iat)" claim is|\("(exp|iat)"\)/;

/** The check a refusal belongs to, from its reason code (and, for two codes, its cause). */
export function failedCheck(error: BearerError, token: UntrustedToken | undefined): CheckId {
  switch (error.code) {
    case 'missing_token':
    case 'invalid_request':
      return 'syntax';
    // Refused while parsing (the core's is stricter than our decoding), or for a header
    // extension (`crit`, `b64`) right after the alg check.
    case 'malformed_token':
      return token && ('crit' in token.header || 'b64' in token.header) ? 'algorithm' : 'syntax';
    // Five parts (a JWE) is refused while parsing; a wrong `typ` after the alg check.
    case 'unsupported_token_type':
      return token ? 'type' : 'syntax';
    case 'algorithm_not_allowed':
      return 'algorithm';
    case 'issuer_mismatch':
      return 'issuer';
    case 'key_not_found':
    case 'key_source_unavailable':
      return 'key';
    case 'signature_invalid':
      return 'signature';
    case 'token_expired':
    case 'token_not_yet_valid':
    case 'token_too_old':
      return 'times';
    case 'audience_mismatch':
      return 'audience';
    case 'insufficient_scope':
      return 'scopes';
    // claim_invalid names the claim in its description; token_revoked and rate_limited need
    // options this command does not set.
    default:
      return TIME_CLAIM.test(error.description) ? 'times' : 'claims';
  }
}

function text(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function scopesOf(claims: Record<string, unknown>): string[] {
  const { scope, scp } = claims;
  const all = [scope, ...(Array.isArray(scp) ? scp : [scp])].filter((s) => typeof s === 'string');
  return [...new Set(all.flatMap((s) => s.split(' ')).filter(Boolean))];
}

function timesAbout(claims: Record<string, unknown>, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const { exp, nbf } = claims;
  const parts = [typeof exp === 'number' ? describeExpiry(exp, now) : `exp ${text(exp)}`];
  if (typeof nbf === 'number') parts.push(describeNotBefore(nbf, now));
  return parts.join(', ');
}

/** What the token says for a check, read without trusting it. */
function about(id: CheckId, input: CheckInput): string {
  const { header, claims } = input.token ?? { header: {}, claims: {} };
  switch (id) {
    case 'syntax':
      return 'a signed JWT (header, claims, signature)';
    case 'algorithm':
      return `alg ${text(header.alg)}`;
    case 'type':
      return `typ ${text(header.typ)}`;
    case 'issuer':
      return `iss ${text(claims.iss)}`;
    case 'key':
      return header.kid === undefined ? 'no kid in the header' : `kid ${text(header.kid)}`;
    case 'signature':
      return `${text(header.alg)} signature`;
    case 'times':
      return timesAbout(claims, input.nowMs);
    case 'audience':
      return `aud ${text(claims.aud)}`;
    case 'claims':
      return `sub ${text(claims.sub)}, client_id ${text(claims.client_id)}`;
    case 'scopes':
      return `token has ${scopesOf(claims).join(' ') || 'no scope'}`;
  }
}

const PASSED: Record<CheckId, string> = {
  syntax: '',
  algorithm: ' is allowed',
  type: ' is accepted',
  issuer: ' is trusted',
  key: ", found in the issuer's JWKS",
  signature: ' is valid',
  times: '',
  audience: ' is accepted',
  claims: ' are well-formed',
  scopes: '',
};

/** Why a check failed: the token's value against what was expected, or the core's words. */
function failure(id: CheckId, input: CheckInput, error: BearerError): string {
  const { expected } = input;
  const claims = input.token?.claims ?? {};
  const said = about(id, input);
  switch (error.code) {
    case 'algorithm_not_allowed':
      return `${said} is not allowed`;
    case 'unsupported_token_type':
      if (id === 'syntax') return error.description;
      return `${said} is not accepted${expected.strict ? ' (needs at+jwt)' : ''}`;
    case 'issuer_mismatch':
      return `${said} is not ${expected.issuer}`;
    case 'key_not_found':
      return `${said} is not in the issuer's JWKS`;
    case 'key_source_unavailable': {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return `the issuer's keys could not be fetched${cause}`;
    }
    case 'signature_invalid':
      return `${said} does not match the key: altered, or signed by another key`;
    case 'token_expired':
      return said;
    case 'token_not_yet_valid':
      return `${error.description}: ${said}`;
    case 'audience_mismatch':
      return `${said} is not ${expected.audience.join(' or ')}`;
    case 'insufficient_scope': {
      const held = scopesOf(claims).join(' ') || 'none';
      return `needs ${expected.scopes.join(' ')}; token has ${held}`;
    }
    default:
      return error.description;
  }
}

function checkLine(id: CheckId, status: CheckStatus, input: CheckInput): string {
  if (status === 'fail') return failure(id, input, input.error as BearerError);
  if (status === 'pass' && id === 'scopes') {
    return `has ${input.expected.scopes.join(' ')} (${about(id, input)})`;
  }
  if (status === 'pass') return `${about(id, input)}${PASSED[id]}`;
  if (status === 'skipped') return `not checked: no --scope given (${about(id, input)})`;
  return input.token ? `not reached (${about(id, input)})` : 'not reached';
}

/**
 * The verification, one line per check: those before the failed one passed, the failed one
 * says why, those after it were not reached. Scopes are skipped when none were required.
 */
export function deriveChecks(input: CheckInput): Check[] {
  const failed = input.error ? failedCheck(input.error, input.token) : undefined;
  let reached = true;
  return CHECKS.map(([id, label]) => {
    let status: CheckStatus = reached ? 'pass' : 'not_reached';
    if (id === failed) {
      status = 'fail';
      reached = false;
    } else if (reached && id === 'scopes' && input.expected.scopes.length === 0) {
      status = 'skipped';
    }
    return { id, label, status, detail: checkLine(id, status, input) };
  });
}
