import { BearerError, type ReasonCode } from '@bearerguard/core';
import { deriveChecks, failedCheck, type CheckId } from '../src/checks';

const token = {
  header: { alg: 'ES256', typ: 'at+jwt', kid: 'k1' },
  claims: { iss: 'https://issuer', aud: 'https://api', exp: 2_000_000_000, scope: 'a b' },
};
const expected = { issuer: 'https://issuer', audience: ['https://api'], scopes: [], strict: false };

describe('failedCheck', () => {
  it.each<[ReasonCode, string | undefined, CheckId]>([
    ['malformed_token', undefined, 'syntax'],
    ['algorithm_not_allowed', undefined, 'algorithm'],
    ['unsupported_token_type', undefined, 'type'],
    ['issuer_mismatch', undefined, 'issuer'],
    ['key_not_found', undefined, 'key'],
    ['key_source_unavailable', undefined, 'key'],
    ['signature_invalid', undefined, 'signature'],
    ['token_expired', undefined, 'times'],
    ['token_not_yet_valid', undefined, 'times'],
    ['claim_invalid', 'The "exp" claim is not a number', 'times'],
    ['audience_mismatch', undefined, 'audience'],
    ['claim_invalid', 'The token has no expiry ("exp")', 'times'],
    ['claim_invalid', 'The "sub" claim is not a string', 'claims'],
    ['claim_invalid', 'The token has no "iat" claim', 'claims'],
    ['insufficient_scope', undefined, 'scopes'],
  ])('maps %s (%s) to the %s check', (code, description, check) => {
    expect(failedCheck(new BearerError(code, { description }), token)).toBe(check);
  });

  it('maps a refusal of an undecodable token to the syntax check', () => {
    expect(failedCheck(new BearerError('unsupported_token_type'), undefined)).toBe('syntax');
  });

  it('maps a malformed token with a crit header to the header check', () => {
    const critical = { ...token, header: { ...token.header, crit: ['exp'] } };
    expect(failedCheck(new BearerError('malformed_token'), critical)).toBe('algorithm');
  });
});

describe('deriveChecks', () => {
  it('passes the checks before the failure and does not reach those after it', () => {
    const error = new BearerError('signature_invalid');
    const checks = deriveChecks({ token, error, expected, nowMs: 1_900_000_000_000 });
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['syntax', 'pass'],
      ['algorithm', 'pass'],
      ['type', 'pass'],
      ['issuer', 'pass'],
      ['key', 'pass'],
      ['signature', 'fail'],
      ['times', 'not_reached'],
      ['audience', 'not_reached'],
      ['claims', 'not_reached'],
      ['scopes', 'not_reached'],
    ]);
  });

  it('skips scopes when none are required, and says what each claim is', () => {
    const checks = deriveChecks({ token, error: undefined, expected, nowMs: 1_900_000_000_000 });
    expect(checks.find((c) => c.id === 'scopes')).toMatchObject({ status: 'skipped' });
    expect(checks.find((c) => c.id === 'issuer')?.detail).toBe('iss https://issuer is trusted');
  });
});
