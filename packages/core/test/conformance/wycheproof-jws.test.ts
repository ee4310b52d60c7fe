// Wycheproof JSON Web Signature vectors (json_web_signature_test.json, and the JWS part of the
// older json_web_crypto_test.json) at the signature layer, since their payloads are not JWTs.
// Every vector runs with its group's key as a static JWKS (private members stripped); groups
// with a single HMAC key run again with that key as the configured `secret`. Each vector gets
// the answer of its label, but for the cases tabled below, taken from wycheproof-overrides.json.
import type { ReasonCode } from '../../src';
import {
  asToken,
  headerAlg,
  jwkList,
  loadVector,
  publicJwks,
  secretOf,
  signatureLayer,
  tally,
  verifierOptions,
  type Jwk,
  type KeyOrSet,
  type Outcome,
  type WycheproofFile,
  type WycheproofTest,
} from './harness';

type FileName = 'json_web_signature_test.json' | 'json_web_crypto_test.json';
type Mode = 'jwks' | 'secret';
type Group = WycheproofFile<WycheproofTest>['testGroups'][number];

const FILES: readonly FileName[] = ['json_web_signature_test.json', 'json_web_crypto_test.json'];
const vectors = Object.fromEntries(
  FILES.map((file) => [file, loadVector<WycheproofFile<WycheproofTest>>(`wycheproof/${file}`)]),
) as Record<FileName, WycheproofFile<WycheproofTest>>;
const overrides = loadVector<Record<string, Record<string, Record<string, string>>>>(
  'wycheproof-overrides.json',
);

/** Labelled valid, refused by bearerguard, and why (asserted in every mode the vector runs in). */
const STRICTER_THAN_LABEL: Record<FileName, Record<number, { outcome: Outcome; why: string }>> = {
  'json_web_signature_test.json': {
    346: {
      outcome: 'key_not_found',
      why: 'RFC 7520 Figure 20 is PS384, the key declares alg PS256: a JWK alg binds its key (RFC 7517 §4.4)',
    },
    350: { outcome: 'key_not_found', why: 'as 346, key with key_ops' },
    347: {
      outcome: 'key_not_found',
      why: 'RFC 7520 Figure 27: the key declares alg "ES521", not a registered algorithm, so it is ignored',
    },
    351: { outcome: 'key_not_found', why: 'as 347, key with key_ops' },
    349: {
      outcome: 'key_not_found',
      why: 'the key has key_ops ["sign, verify"]: one unknown operation, no "verify" (RFC 7517 §4.3)',
    },
    372: { outcome: 'malformed_token', why: "the header segment contains '?', not base64url" },
    373: { outcome: 'malformed_token', why: "the payload segment contains '?', not base64url" },
  },
  'json_web_crypto_test.json': {},
};

// Labelled valid HMAC vectors, when the keys come from a JWKS: HMAC works only with a configured
// `secret` (a symmetric JWK in a JWKS is ignored, and HS* is not allowed without a secret), so
// they are refused `algorithm_not_allowed`. With the key as `secret` they are accepted (but 48,
// whose key is a set of two secrets, which a verifier cannot be given).
const HMAC_FROM_JWKS: Record<FileName, readonly number[]> = {
  'json_web_signature_test.json': [1, 348, 352, 357, 358, 359, 376, 377],
  'json_web_crypto_test.json': [1, 48],
};

/** Vectors left out, as wycheproof-overrides.json says ("use": "skip"). */
const SKIPPED: Record<FileName, Record<number, string>> = {
  'json_web_signature_test.json': {
    367: 'byte-identical to tcId 357 (labelled valid), labelled invalid: C2SP/wycheproof#236',
    370: 'byte-identical to tcId 357 (labelled valid), labelled invalid: C2SP/wycheproof#236',
  },
  'json_web_crypto_test.json': {},
};

/** How bearerguard refuses an invalid vector, by its Wycheproof comment (the mutation's name). */
const REFUSAL_BY_COMMENT: Record<string, ReasonCode> = {
  // Not three canonical base64url segments, or a header that is not a JSON object.
  rejectsEmptyString: 'malformed_token',
  rejectsMissingSignatureAndSeparator: 'malformed_token',
  rejectsMissingPayloadAndSeparator: 'malformed_token',
  rejectsMissingHeader: 'malformed_token',
  rejectsMissingHeaderAndSeparator: 'malformed_token',
  rejectsMissingHeaderAndSignature: 'malformed_token',
  rejectsMissingHeaderSignatureAndSeparator: 'malformed_token',
  rejectsMissingHeaderSignatureAndSeparators: 'malformed_token',
  rejectsExtraEmptyComponent: 'malformed_token',
  rejectsExtraComponent: 'malformed_token',
  rejectsValidJsonSerialization: 'malformed_token', // access tokens are compact only
  // The base64 group. jose alone accepts 360, 365, 368 and 375 (Node's decoder skips spaces and
  // ignores unused bits): bearerguard checks every segment before jose sees the token.
  rejectsSpacesInMac: 'malformed_token',
  rejectsInvalidCharacterInsertedInMac: 'malformed_token',
  rejects0ReplacedbyInvalidCharacter: 'malformed_token',
  rejectsInvalidCharacters: 'malformed_token',
  spacesInHeader: 'malformed_token',
  invalidCharactersInHeader: 'malformed_token',
  spacesInPayload: 'malformed_token',
  invalidCharactersInPayload: 'malformed_token',
  InvalidCharacterInPayload: 'malformed_token',
  ModifiedUnusedBitsInPayload: 'malformed_token',
  MacOfIncorrectlyEncodedMessage: 'malformed_token',
  // The algorithm is not on the allow-list: `none`, or HMAC without a configured secret.
  rejectsNoneAlgorithmAndMissingSignature: 'algorithm_not_allowed',
  algIsNone: 'algorithm_not_allowed',
  rejectsSymmetryConfusionAttacks_aesKeyFromEcVerificationKeyBytes: 'algorithm_not_allowed',
  // No trusted key fits: the kid was changed, or the key is ignored.
  rejectsModifiedHeader: 'key_not_found',
  rejectWrongUse: 'key_not_found',
  rejectWrongKeyOps: 'key_not_found',
  rejectsKeyWithRocaVulnerability: 'key_not_found',
  // A key fits; the signature does not verify.
  rejectsModifiedSignature: 'signature_invalid',
  rejectsMissingSignature: 'signature_invalid',
  rejectsModifiedPayload: 'signature_invalid',
  rejectsMissingPayload: 'signature_invalid',
  rejectsAttackerProvidedEmbeddedJwk: 'signature_invalid', // a header `jwk` is never used
};

function refusal(group: Group, tc: WycheproofTest, mode: Mode): ReasonCode {
  const token = asToken(tc.jws);
  const byComment = REFUSAL_BY_COMMENT[tc.comment];
  if (mode === 'jwks' && headerAlg(token)?.startsWith('HS') && byComment !== 'malformed_token') {
    return 'algorithm_not_allowed';
  }
  // A wrong primitive under the key's own alg fails the signature; under another alg, the key
  // (bound to its alg) does not fit.
  if (tc.flags.includes('WrongPrimitive')) {
    return headerAlg(token) === jwkList(group.private as KeyOrSet)[0]?.alg
      ? 'signature_invalid'
      : 'key_not_found';
  }
  if (tc.flags.includes('ModifiedPadding') || tc.flags.includes('ModifiedSignature')) {
    return 'signature_invalid';
  }
  if (group.comment === 'SpecialCaseEs256') return 'signature_invalid'; // bad (r, s) values
  // The configured secret answers to any kid: a changed kid only breaks the MAC.
  if (mode === 'secret' && tc.comment === 'rejectsModifiedHeader') return 'signature_invalid';
  if (!byComment) throw new Error(`No expectation for tcId ${tc.tcId} (${tc.comment})`);
  return byComment;
}

function expected(file: FileName, group: Group, tc: WycheproofTest, mode: Mode): Outcome {
  const stricter = STRICTER_THAN_LABEL[file][tc.tcId];
  if (stricter) return stricter.outcome;
  if (mode === 'jwks' && HMAC_FROM_JWKS[file].includes(tc.tcId)) return 'algorithm_not_allowed';
  return tc.result === 'valid' ? 'accepted' : refusal(group, tc, mode);
}

// A group runs with a secret when its key is one HMAC key (a verifier takes one secret).
function modesOf(group: Group): Mode[] {
  const keys = jwkList(group.private as KeyOrSet);
  const hmac = keys.length === 1 && keys[0]?.kty === 'oct' && String(keys[0].alg).startsWith('HS');
  return hmac ? ['jwks', 'secret'] : ['jwks'];
}

function optionsFor(group: Group, mode: Mode) {
  const key = group.private as KeyOrSet;
  return verifierOptions(
    mode === 'secret' ? { secret: secretOf(jwkList(key)[0] as Jwk) } : { keys: publicJwks(key) },
  );
}

interface Case {
  title: string;
  tc: WycheproofTest;
  token: string;
  group: Group;
  mode: Mode;
  outcome: Outcome;
}

function casesOf(file: FileName): Case[] {
  return vectors[file].testGroups.flatMap((group) =>
    group.tests
      .filter((tc) => tc.jws !== undefined && SKIPPED[file][tc.tcId] === undefined)
      .flatMap((tc) =>
        modesOf(group).map((mode) => {
          const outcome = expected(file, group, tc, mode);
          const title = `tcId ${tc.tcId} ${tc.comment} (${tc.result}) with ${mode}: ${outcome}`;
          return { title, tc, token: asToken(tc.jws), group, mode, outcome };
        }),
      ),
  );
}

describe.each(FILES)('Wycheproof %s at the signature layer', (file) => {
  const cases = casesOf(file);

  it.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    expect(await signatureLayer(c.token, optionsFor(c.group, c.mode))).toBe(c.outcome);
  });

  it('refuses every vector in its stricter-than-label table, each labelled valid', () => {
    const tests = vectors[file].testGroups.flatMap((g) => g.tests);
    for (const [tcId, { outcome }] of Object.entries(STRICTER_THAN_LABEL[file])) {
      expect(tests.find((t) => t.tcId === Number(tcId))?.result).toBe('valid');
      expect(outcome).not.toBe('accepted');
    }
  });

  it('names in HMAC_FROM_JWKS every other valid HS* vector', () => {
    const validHmac = cases.filter(
      (c) =>
        c.mode === 'jwks' &&
        c.tc.result === 'valid' &&
        headerAlg(c.token)?.startsWith('HS') &&
        STRICTER_THAN_LABEL[file][c.tc.tcId] === undefined,
    );
    expect(validHmac.map((c) => c.tc.tcId)).toEqual(HMAC_FROM_JWKS[file]);
  });
});

describe('Wycheproof JWS: where bearerguard is stricter than a label', () => {
  const groupOf = (tcId: number) =>
    vectors['json_web_signature_test.json'].testGroups.find((g) =>
      g.tests.some((t) => t.tcId === tcId),
    ) as Group;
  const tokenOf = (tcId: number) => asToken(groupOf(tcId).tests.find((t) => t.tcId === tcId)?.jws);

  // wycheproof-overrides.json: "skip-or-strip-key-alg". The signature is valid; the key's alg
  // (PS256, or the unregistered ES521) is what makes bearerguard ignore the key for PS384/ES512.
  it.each([346, 347, 350, 351])('accepts tcId %s once the key alg is stripped', async (tcId) => {
    const { keys } = publicJwks(groupOf(tcId).private as KeyOrSet);
    const stripped = keys.map(({ alg: _alg, ...rest }) => rest);
    expect(await signatureLayer(tokenOf(tcId), verifierOptions({ keys: { keys: stripped } }))).toBe(
      'accepted',
    );
  });

  it('accepts tcId 349 with the group public key, whose key_ops is ["verify"]', async () => {
    const keys = publicJwks(groupOf(349).public as KeyOrSet);
    expect(await signatureLayer(tokenOf(349), verifierOptions({ keys }))).toBe('accepted');
  });

  it("gives tcIds 367 and 370 (skipped: contradictory labels) tcId 357's answer", async () => {
    const options = verifierOptions({ secret: secretOf(jwkList(groupOf(357).private!)[0]!) });
    for (const tcId of [367, 370]) {
      expect(tokenOf(tcId)).toBe(tokenOf(357));
      expect(await signatureLayer(tokenOf(tcId), options)).toBe('accepted');
    }
  });

  it('follows wycheproof-overrides.json for every JWS tcId it names', () => {
    const file = 'json_web_signature_test.json';
    const allCases = casesOf(file);
    for (const [key, entry] of Object.entries(overrides[file] ?? {})) {
      for (const tcId of key.match(/^\d+(, \d+)*$/) ? key.split(', ').map(Number) : []) {
        const outcomes = allCases.filter((c) => c.tc.tcId === tcId);
        if (entry.use === 'skip') expect(SKIPPED[file][tcId]).toBeDefined();
        else expect(outcomes.length).toBeGreaterThan(0);
        if (entry.use === 'expect-reject' || entry.joseResult?.startsWith('ACCEPT')) {
          for (const c of outcomes) expect(c.outcome).not.toBe('accepted');
        }
        if (entry.use === 'skip-or-strip-key-alg') {
          expect(STRICTER_THAN_LABEL[file][tcId]).toBeDefined();
        }
      }
    }
  });
});

// Accepted / refused per file and mode (JWKS: every group; secret: the single-HMAC-key groups).
const COUNTS: Record<FileName, Record<Mode, { accepted: number; refused: number }>> = {
  'json_web_signature_test.json': {
    jwks: { accepted: 31, refused: 368 },
    secret: { accepted: 8, refused: 30 },
  },
  'json_web_crypto_test.json': {
    jwks: { accepted: 2, refused: 47 },
    secret: { accepted: 1, refused: 16 },
  },
};

describe('Wycheproof JWS: counts', () => {
  it.each(FILES)('%s', (file) => {
    const byMode = (mode: Mode) =>
      tally(casesOf(file).flatMap((c) => (c.mode === mode ? [c.outcome] : [])));
    expect({ jwks: byMode('jwks'), secret: byMode('secret') }).toEqual(COUNTS[file]);
  });
});
