import { BearerError } from './errors';
import type { TokenClaims, TokenHeader } from './types';

/** Claim checks, defaults applied. Seconds. */
export interface ClaimPolicy {
  audiences: ReadonlySet<string> | null;
  clockTolerance: number;
  maxTokenAge: number | undefined;
  strict: boolean;
  requiredClaims: readonly string[];
}

// A NumericDate (RFC 7519 §2) is a JSON number; beyond year 9999 it is a forgery or a bug.
const MAX_NUMERIC_DATE = 253402300799;
const STRICT_CLAIMS = ['iat', 'sub', 'client_id', 'jti'];
// RFC 9068 §2.1 and RFC 8725 §3.11: `at+jwt` (media type prefix optional, case-insensitive).
const ACCESS_TOKEN_TYP = /^(application\/)?at\+jwt$/i;
const PLAIN_JWT_TYP = /^(application\/)?jwt$/i;

function invalid(description: string): BearerError {
  return new BearerError('claim_invalid', { description });
}

function numericDate(claims: TokenClaims, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`The "${name}" claim is not a number`);
  }
  if (value < 0 || value > MAX_NUMERIC_DATE) throw invalid(`The "${name}" claim is out of range`);
  return value;
}

function optionalString(claims: TokenClaims, name: string): void {
  const value = claims[name];
  if (value !== undefined && typeof value !== 'string') {
    throw invalid(`The "${name}" claim is not a string`);
  }
}

/** The `typ` policy: `at+jwt`, `JWT` or none by default; only `at+jwt` when strict. */
export function checkType(header: TokenHeader, strict: boolean): void {
  const typ = header.typ;
  if (typ === undefined && !strict) return;
  if (typeof typ === 'string' && ACCESS_TOKEN_TYP.test(typ)) return;
  if (typeof typ === 'string' && PLAIN_JWT_TYP.test(typ) && !strict) return;
  throw new BearerError('unsupported_token_type', {
    description: strict ? 'The token is not an access token (typ at+jwt)' : undefined,
  });
}

function checkTimes(claims: TokenClaims, policy: ClaimPolicy, nowSeconds: number): void {
  const exp = numericDate(claims, 'exp');
  const nbf = numericDate(claims, 'nbf');
  const iat = numericDate(claims, 'iat');
  const tolerance = policy.clockTolerance;

  if (exp === undefined) throw invalid('The token has no expiry ("exp")');
  if (nowSeconds - tolerance >= exp) throw new BearerError('token_expired');

  if (nbf !== undefined && nbf > nowSeconds + tolerance) {
    throw new BearerError('token_not_yet_valid');
  }
  if (iat !== undefined && iat > nowSeconds + tolerance) {
    throw new BearerError('token_not_yet_valid', {
      description: 'The token was issued in the future',
    });
  }

  if (policy.maxTokenAge !== undefined) {
    if (iat === undefined) throw invalid('The token has no issue time ("iat")');
    if (nowSeconds - iat > policy.maxTokenAge + tolerance) throw new BearerError('token_too_old');
  }
}

function checkAudience(claims: TokenClaims, audiences: ReadonlySet<string>): void {
  const aud = claims.aud;
  const list = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(list) || !list.every((a) => typeof a === 'string')) {
    throw new BearerError('audience_mismatch', { description: 'The token has no valid audience' });
  }
  if (!list.some((a) => audiences.has(a))) throw new BearerError('audience_mismatch');
}

function checkScopeClaims(claims: TokenClaims): void {
  optionalString(claims, 'scope');
  const scp = claims.scp;
  if (scp === undefined || typeof scp === 'string') return;
  if (!Array.isArray(scp) || !scp.every((s) => typeof s === 'string')) {
    throw invalid('The "scp" claim is not a list of strings');
  }
}

/**
 * Checks a token's claims (RFC 7519 §4.1, RFC 9068 §2.2 and §4). The issuer is checked earlier,
 * before any key is fetched.
 */
export function checkClaims(claims: TokenClaims, policy: ClaimPolicy, nowSeconds: number): void {
  checkTimes(claims, policy, nowSeconds);

  if (policy.audiences) checkAudience(claims, policy.audiences);

  for (const name of ['sub', 'client_id', 'jti']) optionalString(claims, name);
  checkScopeClaims(claims);

  const required = policy.strict
    ? [...STRICT_CLAIMS, ...policy.requiredClaims]
    : policy.requiredClaims;
  for (const name of required) {
    if (claims[name] === undefined || claims[name] === null) {
      throw invalid(`The token has no "${name}" claim`);
    }
  }
}

const SCOPE_MEMO_SIZE = 256;
const SCOPE_LISTS = new Map<string, string[]>();

/** Scopes from `scope` (space-delimited, RFC 8693 §4.2) and `scp` (array or string). */
export function readScopes(claims: TokenClaims): readonly string[] {
  // The common case, a plain `scope` string of distinct names, is read once per distinct string.
  if (claims.scp === undefined && typeof claims.scope === 'string') {
    const known = SCOPE_LISTS.get(claims.scope);
    if (known) return known;
    const list = claims.scope.split(' ');
    if (list.every((s, i) => s !== '' && list.indexOf(s) === i)) {
      if (SCOPE_LISTS.size >= SCOPE_MEMO_SIZE) SCOPE_LISTS.clear();
      SCOPE_LISTS.set(claims.scope, list);
      return list;
    }
  }
  const scopes = new Set<string>();
  const add = (value: string) => {
    for (const s of value.split(' ')) if (s) scopes.add(s);
  };
  if (typeof claims.scope === 'string') add(claims.scope);
  if (typeof claims.scp === 'string') add(claims.scp);
  // Read before the claims are checked (the cache keeps them): skip what checkClaims refuses.
  else if (Array.isArray(claims.scp)) for (const s of claims.scp) if (typeof s === 'string') add(s);
  return [...scopes];
}
