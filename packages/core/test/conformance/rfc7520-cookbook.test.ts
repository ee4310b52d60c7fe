// The RFC 7520 cookbook JWS examples (with RFC 7797 and RFC 8037) at the signature layer, with
// the example's key as a static JWKS (private members stripped) or, for HMAC, as `secret`. Only
// compact serializations can be access tokens: every JSON serialization is refused, and so are
// detached content and unencoded payloads. The JWE examples are in jwe.test.ts.
import { KeySet } from '../../src/keys/jwk';
import {
  asToken,
  fullVerifier,
  jwkList,
  loadVector,
  publicJwks,
  secretOf,
  signatureLayer,
  tally,
  verifierOptions,
  type Jwk,
  type Outcome,
} from './harness';

interface CookbookJws {
  input: { key: Jwk | Jwk[]; alg: string | string[] };
  signing: { protected_b64u?: string; sig?: string } | unknown[];
  output: { compact?: string; json?: Record<string, unknown>; json_flat?: Record<string, unknown> };
}

const load = (path: string) => loadVector<CookbookJws>(`jose-cookbook/${path}`);
const keysOf = (example: CookbookJws) => {
  const keys = jwkList(
    Array.isArray(example.input.key) ? { keys: example.input.key } : example.input.key,
  );
  return { jwks: publicJwks({ keys }), hmac: keys.find((k) => k.kty === 'oct') };
};

// [example, compact with a JWKS, compact with the HMAC key as secret, why]
const COMPACT: [string, Outcome, Outcome | undefined, string][] = [
  ['jws/4_1.rsa_v15_signature.json', 'accepted', undefined, 'RS256'],
  ['jws/4_2.rsa-pss_signature.json', 'accepted', undefined, 'PS384'],
  ['jws/4_3.ecdsa_signature.json', 'accepted', undefined, 'ES512'],
  [
    'jws/4_4.hmac-sha2_integrity_protection.json',
    'algorithm_not_allowed',
    'accepted',
    'HS256: only with a configured secret',
  ],
  [
    'jws/4_5.signature_with_detached_content.json',
    'algorithm_not_allowed',
    'signature_invalid',
    'detached content: the signature does not cover the empty payload segment',
  ],
  [
    'rfc7797/hmac-sha2_b64_false.json',
    'malformed_token',
    'malformed_token',
    'RFC 7797 b64:false: the payload segment is raw text, not base64url',
  ],
  ['curve25519/jws.json', 'accepted', undefined, 'EdDSA over Ed25519 (RFC 8037 §A.4)'],
];

const ALL_JWS = [
  'jws/4_1.rsa_v15_signature.json',
  'jws/4_2.rsa-pss_signature.json',
  'jws/4_3.ecdsa_signature.json',
  'jws/4_4.hmac-sha2_integrity_protection.json',
  'jws/4_5.signature_with_detached_content.json',
  'jws/4_6.protecting_specific_header_fields.json',
  'jws/4_7.protecting_content_only.json',
  'jws/4_8.multiple_signatures.json',
  'rfc7797/hmac-sha2_b64_false.json',
  'rfc7797/4.2.hmac-sha2_b64_false.json',
  'curve25519/jws.json',
];

// With the key that would verify it: the secret for an HMAC example, else the JWKS.
function bestOptions(example: CookbookJws) {
  const { jwks, hmac } = keysOf(example);
  const algs = [example.input.alg].flat();
  return verifierOptions(
    algs.every((alg) => alg.startsWith('HS')) && hmac ? { secret: secretOf(hmac) } : { keys: jwks },
  );
}

describe('RFC 7520 cookbook: compact JWS at the signature layer', () => {
  it.each(COMPACT)('%s: %s with a JWKS, %s with a secret (%s)', async (path, jwks, secret) => {
    const example = load(path);
    const token = example.output.compact as string;
    const keys = keysOf(example);

    expect(await signatureLayer(token, verifierOptions({ keys: keys.jwks }))).toBe(jwks);
    if (secret !== undefined) {
      const options = verifierOptions({ secret: secretOf(keys.hmac as Jwk) });
      expect(await signatureLayer(token, options)).toBe(secret);
    }
  });

  it('refuses the full verifier their non-JWT payloads, signature valid or not', async () => {
    for (const path of ['jws/4_1.rsa_v15_signature.json', 'curve25519/jws.json']) {
      const example = load(path);
      const token = example.output.compact as string;
      expect(await fullVerifier(token, bestOptions(example))).toBe('malformed_token');
    }
  });

  // RFC 7515 §4.1.11: bearerguard understands no extension, so a `crit` header is refused even
  // when the payload is re-encoded as base64url (which b64:false forbids).
  it('refuses RFC 7797 b64:false for its crit header, whatever the payload encoding', async () => {
    const example = load('rfc7797/hmac-sha2_b64_false.json');
    const [header, payload, signature] = (example.output.compact as string).split('.');
    const reencoded = `${header}.${Buffer.from(payload as string).toString('base64url')}.${signature}`;
    expect(await signatureLayer(reencoded, bestOptions(example))).toBe('malformed_token');
  });
});

describe('RFC 7520 cookbook: every JSON serialization is refused', () => {
  const cases = ALL_JWS.flatMap((path) => {
    const example = load(path);
    return (['json', 'json_flat'] as const)
      .filter((form) => example.output[form] !== undefined)
      .map((form) => [`${path} ${form}`, asToken(example.output[form]), example] as const);
  });

  it.each(cases)('refuses %s as malformed_token', async (_title, token, example) => {
    expect(await signatureLayer(token, bestOptions(example))).toBe('malformed_token');
  });

  it('with the compact runs above, accepts 5 and refuses 26', () => {
    const compact = COMPACT.flatMap(([, jwks, secret]) => (secret ? [jwks, secret] : [jwks]));
    const json = cases.map(() => 'malformed_token' as const);
    expect(tally([...compact, ...json])).toEqual({ accepted: 5, refused: 26 });
  });
});

describe('RFC 7520 §6: the JWS nested in a JWE is an ordinary JWT', () => {
  const { sign } = loadVector<{ sign: CookbookJws }>(
    'jose-cookbook/6.nesting_signatures_and_encryption.json',
  );
  const token = sign.output.compact as string;
  const options = (now?: () => number) =>
    verifierOptions({ issuer: 'hobbiton.example', keys: keysOf(sign).jwks, now });
  // exp = 1300819380 (2011-03-22)
  const beforeExpiry = () => (1300819380 - 60) * 1000;

  it('verifies at the signature layer (PS256)', async () => {
    expect(await signatureLayer(token, options())).toBe('accepted');
  });

  it('is accepted by the full verifier with a frozen clock, and expired with a real one', async () => {
    expect(await fullVerifier(token, options(beforeExpiry))).toBe('accepted');
    expect(await fullVerifier(token, options())).toBe('token_expired');
  });
});

describe('RFC 7520 §3 keys in a JWKS', () => {
  // [key, trusted as published, trusted with private members stripped, why]
  const KEYS: [string, number, number, string][] = [
    ['3_1.ec_public_key.json', 1, 1, 'P-521 public key'],
    ['3_2.ec_private_key.json', 0, 1, 'a published private key is a leaked one'],
    ['3_3.rsa_public_key.json', 1, 1, 'RSA 2048 public key'],
    ['3_4.rsa_private_key.json', 0, 1, 'a published private key is a leaked one'],
    ['3_5.symmetric_key_mac_computation.json', 0, 0, 'symmetric: never from a JWKS'],
    ['3_6.symmetric_key_encryption.json', 0, 0, 'symmetric: never from a JWKS'],
  ];

  it.each(KEYS)('%s: %i trusted, %i once stripped (%s)', (file, asPublished, stripped) => {
    const jwk = loadVector<Jwk>(`jose-cookbook/jwk/${file}`);
    expect(KeySet.fromJwks([jwk], 100).size).toBe(asPublished);
    expect(KeySet.fromJwks(publicJwks(jwk).keys, 100).size).toBe(stripped);
  });
});
