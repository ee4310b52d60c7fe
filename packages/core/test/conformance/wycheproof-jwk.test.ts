// Wycheproof JSON Web Key vectors (json_web_key_test.json): each group's key set becomes a static
// JWKS (private members stripped). bearerguard does not reject a whole key set: it ignores each
// key it cannot trust, so a token that needs such a key is refused. Groups whose key is one HMAC
// key run again with that key as the configured `secret`.
import { KeySet } from '../../src/keys/jwk';
import {
  jwkList,
  loadVector,
  publicJwks,
  secretOf,
  signatureLayer,
  tally,
  verifierOptions,
  type KeyOrSet,
  type Outcome,
  type WycheproofFile,
  type WycheproofTest,
} from './harness';

const vectors = loadVector<WycheproofFile<WycheproofTest>>('wycheproof/json_web_key_test.json');

interface Expectation {
  /** With the group's keys as a static JWKS. */
  jwks: Outcome;
  /** How many of the group's keys bearerguard trusts. */
  trusted: number;
  /** With the group's one HMAC key as `secret` (groups of one HMAC key only). */
  secret?: Outcome;
  why: string;
}

// HS* tokens are refused `algorithm_not_allowed` with a JWKS: HMAC needs a configured secret,
// and a symmetric key in a JWKS is always ignored.
const EXPECTED: Record<number, Expectation> = {
  1: { jwks: 'algorithm_not_allowed', trusted: 1, why: 'oct + EC set: the oct key is ignored' },
  2: { jwks: 'algorithm_not_allowed', trusted: 0, why: 'stricter: HMAC keys from a JWKS' },
  3: { jwks: 'algorithm_not_allowed', trusted: 0, why: 'HMAC keys from a JWKS' },
  4: { jwks: 'algorithm_not_allowed', trusted: 0, why: 'duplicate kid, HMAC keys from a JWKS' },
  5: { jwks: 'accepted', trusted: 1, why: 'a sound RSA 2048 signing key' },
  6: { jwks: 'key_not_found', trusted: 0, why: 'use "enc": not a signing key' },
  7: { jwks: 'key_not_found', trusted: 0, why: 'ROCA fingerprint (jose alone accepts it)' },
  8: { jwks: 'key_not_found', trusted: 0, why: 'RSA 1024: under 2048 bits' },
  9: { jwks: 'key_not_found', trusted: 0, why: 'RSA e = 1 (jose alone accepts it)' },
  10: {
    jwks: 'algorithm_not_allowed',
    trusted: 0,
    secret: 'TypeError',
    why: 'HS256 key of 31 bytes: a secret under 32 bytes is a configuration error',
  },
  11: {
    jwks: 'algorithm_not_allowed',
    trusted: 0,
    secret: 'key_not_found',
    why: 'HS384 key of 47 bytes: shorter than the hash output (RFC 7518 §3.2), it fits no HS384',
  },
  12: {
    jwks: 'algorithm_not_allowed',
    trusted: 0,
    secret: 'key_not_found',
    why: 'HS512 key of 63 bytes: shorter than the hash output, it fits no HS512',
  },
  13: {
    jwks: 'algorithm_not_allowed',
    trusted: 0,
    secret: 'accepted',
    why: 'stricter with a JWKS',
  },
  14: {
    jwks: 'algorithm_not_allowed',
    trusted: 0,
    secret: 'accepted',
    why: 'stricter with a JWKS',
  },
  15: {
    jwks: 'algorithm_not_allowed',
    trusted: 0,
    secret: 'accepted',
    why: 'stricter with a JWKS',
  },
  16: { jwks: 'algorithm_not_allowed', trusted: 0, secret: 'TypeError', why: 'empty HS256 key' },
  17: { jwks: 'algorithm_not_allowed', trusted: 0, secret: 'TypeError', why: 'empty HS384 key' },
  18: { jwks: 'algorithm_not_allowed', trusted: 0, secret: 'TypeError', why: 'empty HS512 key' },
  19: { jwks: 'key_not_found', trusted: 0, why: 'alg "ES521" (unregistered) on a P-256 key' },
  20: { jwks: 'key_not_found', trusted: 0, why: 'alg "ES224" (unregistered) on a P-256 key' },
  21: { jwks: 'key_not_found', trusted: 0, why: 'use "enc": not a signing key' },
  22: { jwks: 'key_not_found', trusted: 0, why: 'EC point not on the curve' },
  23: { jwks: 'key_not_found', trusted: 0, why: 'P-384 named, P-256 coordinates' },
  24: { jwks: 'key_not_found', trusted: 0, why: 'kty RSA with EC members' },
  25: { jwks: 'algorithm_not_allowed', trusted: 0, why: 'an AES-GCM key (oct) in a JWKS' },
  26: { jwks: 'algorithm_not_allowed', trusted: 0, why: 'an AES key-wrap key (oct) in a JWKS' },
};

/** Labelled valid, refused with a JWKS: HMAC keys, which only a configured `secret` supplies. */
const STRICTER_THAN_LABEL = [2, 13, 14, 15];

const cases = vectors.testGroups.flatMap((group) =>
  group.tests.map((tc) => {
    const expectation = EXPECTED[tc.tcId] as Expectation;
    const title = `tcId ${tc.tcId} ${tc.comment} (${tc.result}): ${expectation.why}`;
    return { title, tc, key: group.private as KeyOrSet, expectation };
  }),
);

describe('Wycheproof json_web_key_test.json', () => {
  it('has an expectation for every vector', () => {
    expect(cases.map((c) => c.tc.tcId)).toEqual(Object.keys(EXPECTED).map(Number));
  });

  it.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const { keys } = publicJwks(c.key);
    const token = c.tc.jws as string;

    expect(KeySet.fromJwks(keys, 100).size).toBe(c.expectation.trusted);
    expect(await signatureLayer(token, verifierOptions({ keys: { keys } }))).toBe(
      c.expectation.jwks,
    );
    if (c.expectation.secret !== undefined) {
      const secret = secretOf(jwkList(c.key)[0]!);
      expect(await signatureLayer(token, verifierOptions({ secret }))).toBe(c.expectation.secret);
    }
  });

  it('is stricter than the label only where its table says', () => {
    const refusedValid = cases.filter(
      (c) => c.tc.result === 'valid' && c.expectation.jwks !== 'accepted',
    );
    expect(refusedValid.map((c) => c.tc.tcId)).toEqual(STRICTER_THAN_LABEL);
  });

  it('accepts 1 and refuses 25 with a JWKS; accepts 3 and refuses 6 of 9 with a secret', () => {
    expect(tally(cases.map((c) => c.expectation.jwks))).toEqual({ accepted: 1, refused: 25 });
    const withSecret = cases.flatMap((c) => c.expectation.secret ?? []);
    expect(tally(withSecret)).toEqual({ accepted: 3, refused: 6 });
  });
});
