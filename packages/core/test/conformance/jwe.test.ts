// Every JWE is refused, valid or not, before any key is looked at or any decryption attempted:
// a compact JWE (five base64url segments, RFC 7516 §7.1) as `unsupported_token_type`, anything
// else (a JSON serialization sent as text, a JWE with a segment missing) as `malformed_token`.
// The verifier is given the vector's own key as its JWKS, the best an attacker could hope for.
import {
  asToken,
  fullVerifier,
  loadVector,
  publicJwks,
  signatureLayer,
  tally,
  verifierOptions,
  type Jwk,
  type KeyOrSet,
  type WycheproofFile,
  type WycheproofTest,
} from './harness';

interface JweCase {
  title: string;
  token: string;
  key: KeyOrSet;
}

const COMPACT_JWE = /^[\w-]*(\.[\w-]*){4}$/;
const expectedRefusal = (token: string) =>
  COMPACT_JWE.test(token) ? 'unsupported_token_type' : 'malformed_token';

function wycheproofCases(file: string): JweCase[] {
  const vectors = loadVector<WycheproofFile<WycheproofTest>>(`wycheproof/${file}`);
  return vectors.testGroups.flatMap((group) =>
    group.tests
      .filter((tc) => tc.jwe !== undefined)
      .map((tc) => ({
        title: `tcId ${tc.tcId} ${tc.comment} (${tc.result})`,
        token: asToken(tc.jwe),
        key: (group.private ?? group.public) as KeyOrSet,
      })),
  );
}

interface CookbookJwe {
  input?: { key?: Jwk };
  output: Record<string, string | Record<string, unknown>>;
}

// Each serialization a cookbook example gives: compact, json, json_flat.
function cookbookCases(path: string, example: CookbookJwe): JweCase[] {
  const key = example.input?.key ?? { keys: [] };
  return Object.entries(example.output).map(([form, value]) => ({
    title: `${path} ${form}`,
    token: asToken(value),
    key,
  }));
}

const COOKBOOK_JWE = [
  'jwe/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json',
  'jwe/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json',
  'jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json',
  'jwe/5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json',
  'jwe/5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json',
  'jwe/5_6.direct_encryption_using_aes-gcm.json',
  'jwe/5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json',
  'jwe/5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json',
  'jwe/5_9.compressed_content.json',
  'jwe/5_10.including_additional_authentication_data.json',
  'jwe/5_11.protecting_specific_header_fields.json',
  'jwe/5_12.protecting_content_only.json',
  'jwe/5_13.encrypting_to_multiple_recipients.json',
  'curve25519/ecdh-es.json',
];

const nested = loadVector<{ encrypt: CookbookJwe }>(
  'jose-cookbook/6.nesting_signatures_and_encryption.json',
);

const SOURCES: Record<string, JweCase[]> = {
  'wycheproof/json_web_encryption_test.json': wycheproofCases('json_web_encryption_test.json'),
  'wycheproof/json_web_crypto_test.json (JWE)': wycheproofCases('json_web_crypto_test.json'),
  'jose-cookbook JWE (RFC 7520 §5, X25519)': COOKBOOK_JWE.flatMap((path) =>
    cookbookCases(path, loadVector<CookbookJwe>(`jose-cookbook/${path}`)),
  ),
  'jose-cookbook 6 (RFC 7520 §6, a JWS nested in a JWE)': cookbookCases(
    '6 encrypt',
    nested.encrypt,
  ),
};

// [source, compact JWEs refused unsupported_token_type, others refused malformed_token]
const COUNTS: [string, number, number][] = [
  ['wycheproof/json_web_encryption_test.json', 128, 11],
  ['wycheproof/json_web_crypto_test.json (JWE)', 23, 11],
  ['jose-cookbook JWE (RFC 7520 §5, X25519)', 10, 27],
  ['jose-cookbook 6 (RFC 7520 §6, a JWS nested in a JWE)', 1, 2],
];

describe.each(Object.keys(SOURCES))('%s', (source) => {
  const cases = SOURCES[source] as JweCase[];

  it.each(cases.map((c) => [c.title, c] as const))('refuses %s', async (_title, c) => {
    const options = verifierOptions({ keys: publicJwks(c.key) });
    const refusal = expectedRefusal(c.token);

    expect(await signatureLayer(c.token, options)).toBe(refusal);
    expect(await fullVerifier(c.token, options)).toBe(refusal);
  });

  it('accepts none of them', () => {
    const [, compact, other] = COUNTS.find(([name]) => name === source) ?? [];
    const refusals = cases.map((c) => expectedRefusal(c.token));
    expect(tally(refusals)).toEqual({ accepted: 0, refused: cases.length });
    expect(refusals.filter((r) => r === 'unsupported_token_type')).toHaveLength(compact ?? -1);
    expect(refusals.filter((r) => r === 'malformed_token')).toHaveLength(other ?? -1);
  });
});
