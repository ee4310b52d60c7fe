// RFC 7515 Appendix A examples. A.1–A.3 are JWTs (iss "joe", exp 2011-03-22): accepted by the
// full verifier with a clock frozen before their expiry, expired with a real clock. A.4 has a
// valid signature over the bytes "Payload", which is no claims set. A.5 is unsecured.
import {
  fullVerifier,
  loadVector,
  publicJwks,
  secretOf,
  signatureLayer,
  verifierOptions,
  type Jwk,
  type Outcome,
} from './harness';

interface Example {
  id: string;
  title: string;
  alg: string;
  key: Jwk | null;
  jws: string;
  expectedSignatureValid: boolean;
}

const { examples } = loadVector<{ examples: Example[] }>('rfc7515/rfc7515_appendix_a.json');
const example = (id: string) => examples.find((e) => e.id === id) as Example;

const EXP = 1300819380;
const beforeExpiry = () => (EXP - 60) * 1000;

interface Expectation {
  /** parse → header → key → signature, as the verifier runs it. */
  layer: Outcome;
  /** createVerifier().verify() with the clock frozen a minute before `exp`. */
  frozen: Outcome;
  /** createVerifier().verify() with the real clock. */
  now: Outcome;
}

const EXPECTED: Record<string, Expectation> = {
  'A.1': { layer: 'accepted', frozen: 'accepted', now: 'token_expired' },
  'A.2': { layer: 'accepted', frozen: 'accepted', now: 'token_expired' },
  'A.3': { layer: 'accepted', frozen: 'accepted', now: 'token_expired' },
  'A.4': { layer: 'accepted', frozen: 'malformed_token', now: 'malformed_token' },
  'A.5': {
    layer: 'algorithm_not_allowed',
    frozen: 'algorithm_not_allowed',
    now: 'algorithm_not_allowed',
  },
};

// HMAC (A.1) with its key as `secret`; the others with their key as a JWKS (A.5, which has no
// key, with A.2's).
function optionsFor(e: Example, now?: () => number) {
  const key = e.key ?? (example('A.2').key as Jwk);
  const keys = key.kty === 'oct' ? { secret: secretOf(key) } : { keys: publicJwks(key) };
  return verifierOptions({ issuer: 'joe', ...keys, now });
}

describe('RFC 7515 Appendix A', () => {
  it.each(examples.map((e) => [e.id, e.title, e] as const))('%s %s', async (id, _title, e) => {
    const expected = EXPECTED[id] as Expectation;

    expect(expected.layer === 'accepted').toBe(e.expectedSignatureValid);
    expect(await signatureLayer(e.jws, optionsFor(e))).toBe(expected.layer);
    expect(await fullVerifier(e.jws, optionsFor(e, beforeExpiry))).toBe(expected.frozen);
    expect(await fullVerifier(e.jws, optionsFor(e))).toBe(expected.now);
  });

  it('refuses A.1 (HS256) with its key in a JWKS: HMAC only with a configured secret', async () => {
    const a1 = example('A.1');
    const options = verifierOptions({
      issuer: 'joe',
      keys: publicJwks(a1.key as Jwk),
      now: beforeExpiry,
    });
    expect(await fullVerifier(a1.jws, options)).toBe('algorithm_not_allowed');
  });

  it('with a secret, accepts only HMAC: A.2 and A.3 are refused', async () => {
    const options = verifierOptions({
      issuer: 'joe',
      secret: secretOf(example('A.1').key as Jwk),
      now: beforeExpiry,
    });
    expect(await fullVerifier(example('A.2').jws, options)).toBe('algorithm_not_allowed');
    expect(await fullVerifier(example('A.3').jws, options)).toBe('algorithm_not_allowed');
  });
});
