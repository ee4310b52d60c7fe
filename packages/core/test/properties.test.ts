// Property tests of the refusal path. Three promises: no mutation of a valid token is accepted;
// any input is either a valid token or refused with a documented BearerError (never another
// error, never an internal crash hidden under a reason code); and `authenticate` answers any
// request with a 400 or 401. Tokens are built with node:crypto (support/tokens.ts), keys are a
// static JWKS and the clock is fixed, so every run is deterministic apart from fast-check's seed.
import { createPublicKey, sign } from 'node:crypto';
import fc from 'fast-check';
import {
  BearerError,
  REASONS,
  createVerifier,
  type BearerEvent,
  type BearerRequest,
  type ReasonCode,
  type VerifiedToken,
} from '../src';
import { accessClaims, generateKey, signToken, type TestKey } from './support/tokens';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const NOW = 1_800_000_000; // seconds
// The documented defaults the oracle below relies on (DESIGN.md, options.ts DEFAULTS).
const TOLERANCE = 5;
const MAX_TOKEN_LENGTH = 8192;
const MAX_NUMERIC_DATE = 253402300799; // 9999-12-31T23:59:59Z
const RUNS = 500;

// One key per algorithm; the JWK `alg` binds each key to that algorithm only.
const KEYS = {
  rsa: generateKey('RS256', 'rsa-1'),
  ps: generateKey('PS256', 'ps-1'),
  ec: generateKey('ES256', 'ec-1'),
  ec384: generateKey('ES384', 'ec384-1'),
  ed: generateKey('EdDSA', 'ed-1'),
};
const JWKS = { keys: Object.values(KEYS).map((k) => k.jwk) };
// Same kids as trusted keys, private keys the verifier has never seen.
const ATTACKER = { ES256: generateKey('ES256', 'ec-1'), EdDSA: generateKey('EdDSA', 'ed-1') };
const RSA_PUBLIC_PEM = Buffer.from(
  createPublicKey(KEYS.rsa.privateKey).export({ format: 'pem', type: 'spki' }),
);

const CODES = Object.keys(REASONS) as ReasonCode[];
const B64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

const events: BearerEvent[] = [];
const verifier = createVerifier({
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: JWKS,
  now: () => NOW * 1000,
  onEvent: (event) => events.push(event),
});

const VALID = Object.values(KEYS).map((key) =>
  signToken(
    { alg: key.alg, kid: key.kid, typ: 'at+jwt' },
    accessClaims(ISSUER, AUDIENCE, NOW),
    key.privateKey,
  ),
);

// An unhandled rejection needs no check of its own: Jest fails the running test with it.
beforeEach(() => {
  events.length = 0;
});

type Outcome = { accepted: true; verified: VerifiedToken } | { accepted: false; error: unknown };

async function outcome(promise: Promise<VerifiedToken>): Promise<Outcome> {
  try {
    return { accepted: true, verified: await promise };
  } catch (error) {
    return { accepted: false, error };
  }
}

/** Refused with a BearerError carrying a documented code, its status, and no hidden crash. */
function expectDocumentedRefusal(result: Outcome): BearerError {
  expect(result.accepted).toBe(false);
  const { error } = result as { error: unknown };
  expect(error).toBeInstanceOf(BearerError);
  const refusal = error as BearerError;
  expect(CODES).toContain(refusal.code);
  expect(refusal.status).toBe(REASONS[refusal.code].status);
  // No hook is configured, so a cause means the verifier crashed and wrapped it as
  // malformed_token ("The token could not be read").
  expect(refusal.cause).toBeUndefined();
  return refusal;
}

/** Neither the token nor its signature shows in the error or in any event. */
function expectNoLeak(token: string, refusal?: BearerError): void {
  const text = JSON.stringify([events, refusal?.message, refusal?.headers, refusal?.toJSON()]);
  if (token.length >= 24) expect(text).not.toContain(token);
  const signature = token.split('.')[2] ?? '';
  if (signature.length >= 16) expect(text).not.toContain(signature);
}

async function expectRefused(token: string): Promise<BearerError> {
  events.length = 0;
  const refusal = expectDocumentedRefusal(await outcome(verifier.verify(token)));
  expectNoLeak(token, refusal);
  return refusal;
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid token

type Mutation =
  | { kind: 'substitute'; at: number; char: string }
  | { kind: 'insert'; at: number; char: string }
  | { kind: 'delete'; at: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'duplicate'; segment: number; at: number }
  | { kind: 'drop'; segment: number }
  | { kind: 'pad'; segment: number; padding: string }
  | { kind: 'standard-base64'; segment: number }
  | { kind: 'whitespace'; segment: number; at: number; space: string }
  | { kind: 'flip'; segment: number; bit: number };

const WHITESPACE = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\ufeff', '\u3000'];
const char = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...B64URL) },
  { weight: 2, arbitrary: fc.constantFrom('.', '=', '+', '/', '%', '"', '\\', '\0') },
  { weight: 1, arbitrary: fc.constantFrom(...WHITESPACE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const at = fc.nat();
const segment = fc.nat({ max: 2 });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('substitute' as const), at, char }),
  fc.record({ kind: fc.constant('insert' as const), at, char }),
  fc.record({ kind: fc.constant('delete' as const), at }),
  fc.record({ kind: fc.constant('swap' as const), a: segment, b: segment }),
  fc.record({ kind: fc.constant('duplicate' as const), segment, at: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('drop' as const), segment }),
  fc.record({
    kind: fc.constant('pad' as const),
    segment,
    padding: fc.constantFrom('=', '==', '==='),
  }),
  fc.record({ kind: fc.constant('standard-base64' as const), segment }),
  fc.record({
    kind: fc.constant('whitespace' as const),
    segment,
    at,
    space: fc.constantFrom(...WHITESPACE),
  }),
  fc.record({ kind: fc.constant('flip' as const), segment, bit: fc.nat() }),
);

function splice(text: string, index: number, remove: number, insert = ''): string {
  return text.slice(0, index) + insert + text.slice(index + remove);
}

function onSegment(token: string, index: number, change: (part: string) => string): string {
  const parts = token.split('.');
  const i = index % parts.length;
  parts[i] = change(parts[i] ?? '');
  return parts.join('.');
}

function flipBit(part: string, bit: number): string {
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.length === 0) return part;
  const i = bit % (bytes.length * 8);
  bytes[i >> 3] = (bytes[i >> 3] ?? 0) ^ (1 << (i & 7));
  return bytes.toString('base64url');
}

function mutate(token: string, m: Mutation): string {
  const parts = token.split('.');
  switch (m.kind) {
    case 'substitute':
      return splice(token, m.at % token.length, 1, m.char);
    case 'insert':
      return splice(token, m.at % (token.length + 1), 0, m.char);
    case 'delete':
      return splice(token, m.at % token.length, 1);
    case 'swap': {
      const [a, b] = [m.a % parts.length, m.b % parts.length];
      [parts[a], parts[b]] = [parts[b] ?? '', parts[a] ?? ''];
      return parts.join('.');
    }
    case 'duplicate':
      parts.splice(m.at % (parts.length + 1), 0, parts[m.segment % parts.length] ?? '');
      return parts.join('.');
    case 'drop':
      parts.splice(m.segment % parts.length, 1);
      return parts.join('.');
    case 'pad':
      return onSegment(token, m.segment, (part) => part + m.padding);
    case 'standard-base64':
      return onSegment(token, m.segment, (part) =>
        Buffer.from(part, 'base64url').toString('base64'),
      );
    case 'whitespace':
      return onSegment(token, m.segment, (part) =>
        splice(part, m.at % (part.length + 1), 0, m.space),
      );
    case 'flip':
      return onSegment(token, m.segment, (part) => flipBit(part, m.bit));
  }
}

describe('mutations of a valid token', () => {
  it('accepts each unmutated token (the control)', async () => {
    for (const token of VALID) {
      const result = await outcome(verifier.verify(token));
      expect(result.accepted).toBe(true);
    }
  });

  it('refuses every mutated token with a documented reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VALID),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (token, mutations) => {
          const mutated = mutations.reduce(mutate, token);
          fc.pre(mutated !== token);
          await expectRefused(mutated);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses every bit flip in the decoded signature as signature_invalid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VALID), fc.nat(), async (token, bit) => {
        const flipped = mutate(token, { kind: 'flip', segment: 2, bit });
        expect((await expectRefused(flipped)).code).toBe('signature_invalid');
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses every bit flip in the decoded header or payload', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VALID),
        fc.constantFrom(0, 1),
        fc.nat(),
        async (token, part, bit) => {
          await expectRefused(mutate(token, { kind: 'flip', segment: part, bit }));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Arbitrary input

const b64urlText = fc.string({ unit: fc.constantFrom(...B64URL), maxLength: 64 });
const jsonSegment = fc
  .jsonValue({ maxDepth: 2 })
  .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));
// UTF-16 code units, lone surrogates included (the `binary` unit gives whole code points only).
const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
});

const junk = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  codeUnits,
  fc.base64String(),
  fc
    .array(fc.oneof(fc.base64String(), b64urlText, jsonSegment), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join('.')),
  fc
    .tuple(jsonSegment, jsonSegment, b64urlText)
    .map(([header, payload, signature]) => `${header}.${payload}.${signature}`),
  fc.integer({ min: 8100, max: 8300 }).map((n) => 'eyJ'.padEnd(n, 'A')),
);

describe('arbitrary strings', () => {
  it('are refused with a documented reason', async () => {
    await fc.assert(
      fc.asyncProperty(junk, async (text) => {
        await expectRefused(text);
      }),
      { numRuns: 1000 },
    );
  });
});

// Tokens signed for real from arbitrary headers and claims, checked against an oracle written
// from DESIGN.md rather than from the verifier's code.

// Signing keys by name, so that a counterexample prints a name rather than a key.
const SIGNING_KEYS: Record<string, TestKey> = {
  ...KEYS,
  'attacker-ES256': ATTACKER.ES256,
  'attacker-EdDSA': ATTACKER.EdDSA,
};
const SIGNERS: Record<string, keyof typeof KEYS> = {
  RS256: 'rsa',
  RS384: 'rsa',
  RS512: 'rsa',
  PS256: 'ps',
  PS384: 'ps',
  PS512: 'ps',
  ES256: 'ec',
  ES384: 'ec384',
  ES512: 'ec', // a P-256 key hashing with SHA-512: no trusted key fits
  EdDSA: 'ed',
};

const CLAIM_NAMES = ['iss', 'aud', 'exp', 'nbf', 'iat', 'sub', 'client_id', 'jti', 'scope', 'scp'];
const DELETE = Symbol('delete');
const INTERESTING: unknown[] = [
  ...[NOW - 10, NOW - TOLERANCE, NOW - TOLERANCE + 1, NOW, NOW + TOLERANCE, NOW + TOLERANCE + 1],
  ...[NOW + 300, NOW + 0.5, -1, 0, 1e300, MAX_NUMERIC_DATE, MAX_NUMERIC_DATE + 1, 2 ** 53],
  ...[ISSUER, `${ISSUER}/`, AUDIENCE, [AUDIENCE], [AUDIENCE, 7], ['x', AUDIENCE], [], 'x', ''],
  ...[null, true, {}, { iss: ISSUER }, String(NOW + 300), ['a', 'b'], 'a b', [['a']]],
];
const claimValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant<unknown>(DELETE) },
  { weight: 3, arbitrary: fc.constantFrom(...INTERESTING) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const claimChange = fc.tuple(fc.constantFrom(...CLAIM_NAMES), claimValue);
// The clock boundaries, often enough that each side of each is tried.
const timeChange = fc.tuple(
  fc.constantFrom('exp', 'nbf', 'iat'),
  fc.constantFrom<unknown>(
    ...[NOW - 10, NOW - TOLERANCE, NOW - TOLERANCE + 1, NOW + TOLERANCE, NOW + TOLERANCE + 1],
  ),
);

const objectPayload = fc
  .record({
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 3,
    }),
    changes: fc.array(fc.oneof(claimChange, timeChange), { maxLength: 2 }),
  })
  .map(({ extra, changes }) => {
    const claims: Record<string, unknown> = { ...extra, ...accessClaims(ISSUER, AUDIENCE, NOW) };
    for (const [name, value] of changes) {
      if (value === DELETE) delete claims[name];
      else claims[name] = value;
    }
    return JSON.stringify(claims);
  });

// Payload text JSON.stringify cannot write: numbers beyond a double, duplicate members.
const handWrittenPayload = fc
  .record({
    name: fc.constantFrom('exp', 'nbf', 'iat', 'iss', 'aud'),
    text: fc.constantFrom(
      '1e309',
      '-1e309',
      '1E400',
      '1e-400',
      '-0',
      '1800000300.0',
      '18000003e2',
      `"${ISSUER}"`,
      '"https://evil.test"',
      '[]',
    ),
    where: fc.constantFrom('first', 'last'),
  })
  .map(({ name, text, where }) => {
    const members = JSON.stringify(accessClaims(ISSUER, AUDIENCE, NOW)).slice(1, -1);
    const member = `"${name}":${text}`;
    return where === 'first' ? `{${member},${members}}` : `{${members},${member}}`;
  });

const payloadText = fc.oneof(
  { weight: 6, arbitrary: objectPayload },
  { weight: 2, arbitrary: handWrittenPayload },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);

const GENUINE_ALGS = Object.values(KEYS).map((key) => key.alg);
const ALGS = [...Object.keys(SIGNERS), 'Ed25519', 'HS256', 'HS384', 'HS512', 'none'];
const header = fc
  .record({
    alg: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...GENUINE_ALGS) },
      { weight: 8, arbitrary: fc.constantFrom(...ALGS) },
      { weight: 1, arbitrary: fc.constantFrom('NONE', 'None', 'es256', 'RSA-OAEP', '') },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    kid: fc.oneof(
      { weight: 6, arbitrary: fc.constant('own') },
      { weight: 2, arbitrary: fc.constant(DELETE) },
      { weight: 1, arbitrary: fc.constantFrom<unknown>(...Object.values(KEYS).map((k) => k.kid)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    typ: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('at+jwt', 'JWT', 'application/at+jwt', 'AT+JWT') },
      { weight: 2, arbitrary: fc.constant<unknown>(DELETE) },
      { weight: 1, arbitrary: fc.constantFrom('jwt', 'JOSE', 'at+jwt ', 'id_token+jwt', 7, null) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    ),
    // Extensions, remote key pointers and anything else.
    extra: fc.oneof(
      { weight: 12, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Record<string, unknown>>(
          { crit: ['exp'], exp: NOW + 300 },
          { crit: [] },
          { b64: false },
          { b64: true },
          { jku: 'https://attacker.test/jwks.json' },
          { x5u: 'https://attacker.test/cert.pem' },
          { jwk: ATTACKER.ES256.jwk },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), {
          maxKeys: 3,
        }),
      },
    ),
    forged: fc.boolean(),
    noise: fc.uint8Array({ maxLength: 96 }),
  })
  .map(({ alg, kid, typ, extra, forged, noise }) => {
    const own = typeof alg === 'string' && Object.hasOwn(SIGNERS, alg) ? SIGNERS[alg] : undefined;
    const fields: Record<string, unknown> = { ...extra, alg };
    if (kid === 'own') fields.kid = own ? KEYS[own].kid : 'ec-1';
    else if (kid !== DELETE) fields.kid = kid;
    if (typ !== DELETE) fields.typ = typ;
    const attacker = forged && (alg === 'ES256' || alg === 'EdDSA') ? `attacker-${alg}` : undefined;
    return { fields, signer: attacker ?? own, forged: attacker !== undefined, noise };
  });

const b64 = (text: string) => Buffer.from(text).toString('base64url');

function signed(
  fields: Record<string, unknown>,
  payload: string,
  signer: string | undefined,
  noise: Uint8Array,
): string {
  const alg = fields.alg;
  if (signer) return signToken(fields, payload, SIGNING_KEYS[signer]!.privateKey);
  if (typeof alg === 'string' && alg.startsWith('HS')) {
    // RFC 8725 §2.1: the RSA public key, which anyone has, as an HMAC secret.
    return signToken(fields, payload, RSA_PUBLIC_PEM);
  }
  if (alg === 'none') return signToken(fields, payload, Buffer.alloc(0));
  const input = `${b64(JSON.stringify(fields))}.${b64(payload)}`;
  const signature =
    alg === 'Ed25519' ? sign(null, Buffer.from(input), KEYS.ed.privateKey) : Buffer.from(noise);
  return `${input}.${signature.toString('base64url')}`;
}

// ---- The oracle: what DESIGN.md says a verifier with default options must accept.

const isString = (value: unknown): value is string => typeof value === 'string';

function numericDateOk(value: unknown, fits: (n: number) => boolean): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return value >= 0 && value <= MAX_NUMERIC_DATE && fits(value);
}

function headerOk(fields: Record<string, unknown>, key: TestKey): boolean {
  // The key's JWK names its one algorithm; a kid, when given, must name the key.
  if (fields.alg !== key.alg) return false;
  if (fields.kid !== undefined && fields.kid !== key.kid) return false;
  // No extension is understood, so none may be used (RFC 7515 §4.1.11, RFC 7797).
  if (Object.hasOwn(fields, 'crit') || Object.hasOwn(fields, 'b64')) return false;
  const typ = fields.typ;
  return typ === undefined || (isString(typ) && /^(application\/)?(at\+)?jwt$/i.test(typ));
}

function claimsOk(claims: Record<string, unknown>): boolean {
  if (claims.iss !== ISSUER) return false;
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.every(isString) || !aud.includes(AUDIENCE)) return false;
  if (claims.exp === undefined) return false;
  if (!numericDateOk(claims.exp, (exp) => exp > NOW - TOLERANCE)) return false;
  if (!numericDateOk(claims.nbf, (nbf) => nbf <= NOW + TOLERANCE)) return false;
  if (!numericDateOk(claims.iat, (iat) => iat <= NOW + TOLERANCE)) return false;
  const strings = ['sub', 'client_id', 'jti', 'scope'].map((name) => claims[name]);
  if (!strings.every((value) => value === undefined || isString(value))) return false;
  const scp = claims.scp;
  return scp === undefined || isString(scp) || (Array.isArray(scp) && scp.every(isString));
}

function oracleAccepts(
  token: string,
  fields: Record<string, unknown>,
  payload: string,
  genuine: TestKey | undefined,
): boolean {
  if (!genuine || token.length > MAX_TOKEN_LENGTH) return false;
  const header = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  const claims: unknown = JSON.parse(payload);
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return false;
  return headerOk(header, genuine) && claimsOk(claims as Record<string, unknown>);
}

describe('tokens signed from arbitrary headers and claims', () => {
  it('are accepted exactly when DESIGN.md says so, and otherwise refused with a reason', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(header, payloadText, async ({ fields, signer, forged, noise }, payload) => {
        const token = signed(fields, payload, signer, noise);
        events.length = 0;
        const result = await outcome(verifier.verify(token));
        const genuine = signer && !forged ? KEYS[signer as keyof typeof KEYS] : undefined;
        const expected = oracleAccepts(token, fields, payload, genuine);
        if (!result.accepted) {
          expectNoLeak(token, expectDocumentedRefusal(result));
        }
        expect({ accepted: result.accepted, token, payload }).toEqual({
          accepted: expected,
          token,
          payload,
        });
        if (result.accepted) {
          accepted += 1;
          expect(result.verified.token).toBe(token);
          expect(result.verified.claims).toEqual(JSON.parse(payload));
          expectNoLeak(token);
        }
      }),
      { numRuns: RUNS },
    );
    // The oracle must have been exercised on both sides.
    expect(accepted).toBeGreaterThan(RUNS / 50);
  });
});

// ---------------------------------------------------------------------------------------------
// authenticate: any request is a 400 or 401

const requestVerifier = createVerifier({
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: JWKS,
  now: () => NOW * 1000,
  tokenLocations: ['header', 'query', 'body'],
});
const [TOKEN] = VALID as [string];

const tokenish = fc.oneof(
  { weight: 2, arbitrary: fc.constant(TOKEN) },
  { weight: 1, arbitrary: fc.constantFrom(...WHITESPACE).map((space) => `${TOKEN}${space}`) },
  { weight: 2, arbitrary: fc.array(b64urlText, { maxLength: 4 }).map((p) => p.join('.')) },
  { weight: 2, arbitrary: junk },
);
const authorization = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), codeUnits, {
  weight: 5,
  arbitrary: fc
    .tuple(
      fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Bearer:', 'Token', ''),
      fc.constantFrom(' ', ' ', ' ', '  ', '\t', '', ',', ' \n '),
      tokenish,
    )
    .map((parts) => parts.join('')),
});
const rawHeaders = fc.array(
  fc.oneof(fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'Host'), fc.string()),
  { maxLength: 8 },
);
const parameters = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  fc.record({ access_token: fc.oneof(tokenish, fc.array(tokenish, { maxLength: 2 })) }),
  fc.dictionary(fc.constantFrom('access_token', 'q', '__proto__'), fc.anything(), { maxKeys: 2 }),
  fc.anything(),
);

const request: fc.Arbitrary<BearerRequest> = fc.record({
  headers: fc.record(
    {
      authorization: fc.oneof(
        { weight: 4, arbitrary: authorization },
        { weight: 1, arbitrary: fc.array(authorization, { maxLength: 3 }) },
      ),
      'content-type': fc.constantFrom(
        'application/x-www-form-urlencoded',
        'application/json',
        'APPLICATION/X-WWW-FORM-URLENCODED; charset=utf-8',
      ),
      'user-agent': fc.string(),
    },
    { requiredKeys: [] },
  ),
  rawHeaders: fc.option(rawHeaders, { nil: undefined }),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD'),
  path: fc.constant('/v1/alerts'),
  query: parameters as fc.Arbitrary<Record<string, unknown> | undefined>,
  body: parameters,
  ip: fc.constant('192.0.2.7'),
});

describe('authenticate', () => {
  it('answers any request with the valid token or a 400/401 BearerError', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const result = await outcome(requestVerifier.authenticate(req));
        if (result.accepted) {
          expect(result.verified.token).toBe(TOKEN);
          return;
        }
        const refusal = expectDocumentedRefusal(result);
        expect([400, 401]).toContain(refusal.status);
        expect(JSON.stringify([refusal.headers, refusal.toJSON()])).not.toContain(TOKEN);
      }),
      { numRuns: 1000 },
    );
  });
});
