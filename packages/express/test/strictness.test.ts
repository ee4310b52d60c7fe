// Strict verification, one row per refusal: each request goes through the core verifier
// (`authenticate`, and `verify` on its token), an Express app and a Koa app (both with the JSON
// responder), which must agree on the reason code, the status and the WWW-Authenticate
// challenge, and must never echo the token or its signature.
import { createPublicKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  BearerError,
  REASONS,
  createVerifier,
  type BearerRequest,
  type ReasonCode,
  type VerifierOptions,
} from '@bearerguard/core';
import { requireBearer as koaBearer } from '@bearerguard/koa';
import { accessClaims, generateKey, signToken } from '../../core/test/support/tokens';
import { koaApp } from '../../koa/test/app';
import { requireBearer as expressBearer } from '../src';
import { expressApp } from './app';
import { rawGet, type RawAnswer } from './support';
import { listen, rawAuthorization, type Listening } from './support-strict';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const NOW = 1_800_000_000; // seconds

const rsa = generateKey('RS256', 'rsa-1');
const ec = generateKey('ES256', 'ec-1');
const attacker = generateKey('ES256', 'attacker-1');
const impostor = generateKey('ES256', 'ec-1'); // a trusted kid, a key outside the JWKS

// With a static JWKS nothing is fetched; this proves that no header (jku, x5u) changes that.
const fetched: string[] = [];
const noFetch = async (url: string | URL | Request) => {
  fetched.push(String(url));
  throw new Error('no fetch expected');
};

const BASE: VerifierOptions = {
  issuer: ISSUER,
  audience: AUDIENCE,
  keys: { keys: [rsa.jwk, ec.jwk] },
  now: () => NOW * 1000,
  jwks: { fetch: noFetch as typeof fetch },
};

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({
  ...accessClaims(ISSUER, AUDIENCE, NOW),
  ...extra,
});
/** An ES256 access token from the trusted key; `undefined` in `extra` or `header` drops it. */
const token = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signToken({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt', ...header }, claims(extra), ec.privateKey);
const VALID = token();
const [HEADER, PAYLOAD, SIGNATURE] = VALID.split('.') as [string, string, string];

/** The ES256 signature's last character with unused low bits set: decodes to the same bytes. */
function nonCanonical(jwt: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(jwt.at(-1)!);
  return jwt.slice(0, -1) + alphabet[last | 1];
}

// The payload as JSON text, for numbers JSON.stringify cannot write: JSON.parse reads 1e309
// as Infinity.
const hugeExp = JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e309');
const RSA_PEM = createPublicKey(rsa.privateKey).export({ format: 'pem', type: 'spki' });

interface Sent {
  path: string;
  headers: Record<string, string | string[]>;
}
const bearer = (jwt: string, scheme = 'Bearer'): Sent => ({
  path: '/me',
  headers: { Authorization: `${scheme} ${jwt}` },
});

interface Case {
  title: string;
  /** The token under test: checked with `verify`, and looked for in every answer. */
  token: string;
  /** What is sent; `Authorization: Bearer <token>` unless given. */
  sent?: Sent;
  options?: Partial<VerifierOptions>;
  /** The outcome of the request, through the core and both adapters. */
  expected: ReasonCode | 'accepted';
  /** The outcome of `verify(token)` when the request, not the token, is at fault. */
  verify?: ReasonCode | 'accepted';
}

const cases: Case[] = [
  { title: 'a valid token', token: VALID, expected: 'accepted' },
  {
    title: 'the scheme in lower case',
    token: VALID,
    sent: bearer(VALID, 'bearer'),
    expected: 'accepted',
  },
  {
    title: 'the scheme in upper case',
    token: VALID,
    sent: bearer(VALID, 'BEARER'),
    expected: 'accepted',
  },

  // Time
  { title: 'an expired token', token: token({ exp: NOW - 10 }), expected: 'token_expired' },
  {
    title: 'a token not valid yet',
    token: token({ nbf: NOW + 60 }),
    expected: 'token_not_yet_valid',
  },
  {
    title: 'a token issued in the future',
    token: token({ iat: NOW + 60 }),
    expected: 'token_not_yet_valid',
  },
  {
    title: 'a token older than maxTokenAge',
    token: token({ iat: NOW - 120 }),
    options: { maxTokenAge: 60 },
    expected: 'token_too_old',
  },

  // Claims
  {
    title: 'another issuer',
    token: token({ iss: 'https://evil.test' }),
    expected: 'issuer_mismatch',
  },
  {
    title: 'another audience',
    token: token({ aud: 'https://other.test' }),
    expected: 'audience_mismatch',
  },
  {
    title: 'an audience that is a number',
    token: token({ aud: 7 }),
    expected: 'audience_mismatch',
  },
  {
    title: 'an audience that is an object',
    token: token({ aud: { AUDIENCE } }),
    expected: 'audience_mismatch',
  },
  { title: 'no exp', token: token({ exp: undefined }), expected: 'claim_invalid' },
  { title: 'exp as a string', token: token({ exp: String(NOW + 300) }), expected: 'claim_invalid' },
  {
    title: 'exp 1e309, which JSON reads as Infinity',
    token: signToken({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt' }, hugeExp, ec.privateKey),
    expected: 'claim_invalid',
  },
  {
    title: 'the strict profile and no jti',
    token: token({ jti: undefined }),
    options: { strict: true },
    expected: 'claim_invalid',
  },

  // Header
  {
    title: 'alg none',
    token: signToken({ alg: 'none', typ: 'at+jwt' }, claims(), Buffer.alloc(0)),
    expected: 'algorithm_not_allowed',
  },
  {
    title: 'an algorithm outside the allow-list',
    token: VALID,
    options: { algorithms: ['RS256'] },
    expected: 'algorithm_not_allowed',
  },
  {
    title: 'HS256 keyed with the RSA public key (RFC 8725 §2.1)',
    token: signToken({ alg: 'HS256', kid: 'rsa-1', typ: 'at+jwt' }, claims(), Buffer.from(RSA_PEM)),
    expected: 'algorithm_not_allowed',
  },
  { title: 'an unknown kid', token: token({}, { kid: 'nope' }), expected: 'key_not_found' },
  {
    title: 'a trusted kid on a key outside the JWKS',
    token: signToken({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt' }, claims(), impostor.privateKey),
    expected: 'signature_invalid',
  },
  {
    title: 'an embedded attacker jwk and no kid',
    token: signToken(
      { alg: 'ES256', typ: 'at+jwt', jwk: attacker.jwk },
      claims(),
      attacker.privateKey,
    ),
    expected: 'signature_invalid',
  },
  {
    title: 'an embedded attacker jwk and its kid',
    token: signToken(
      { alg: 'ES256', kid: attacker.kid, typ: 'at+jwt', jwk: attacker.jwk },
      claims(),
      attacker.privateKey,
    ),
    expected: 'key_not_found',
  },
  {
    title: 'a jku pointing elsewhere and a trusted kid',
    token: signToken(
      { alg: 'ES256', kid: 'ec-1', typ: 'at+jwt', jku: 'https://attacker.test/jwks.json' },
      claims(),
      attacker.privateKey,
    ),
    expected: 'signature_invalid',
  },
  {
    title: 'an x5u pointing elsewhere and its own kid',
    token: signToken(
      { alg: 'ES256', kid: attacker.kid, typ: 'at+jwt', x5u: 'https://attacker.test/cert.pem' },
      claims(),
      attacker.privateKey,
    ),
    expected: 'key_not_found',
  },
  {
    title: 'a typ that is not allowed',
    token: token({}, { typ: 'JOSE' }),
    expected: 'unsupported_token_type',
  },
  {
    title: 'typ JWT under the strict profile',
    token: token({}, { typ: 'JWT' }),
    options: { strict: true },
    expected: 'unsupported_token_type',
  },
  {
    title: 'a crit header',
    token: token({}, { crit: ['exp'], exp: NOW + 300 }),
    expected: 'malformed_token',
  },

  // Syntax
  {
    title: 'a JWE (five segments)',
    token: [
      b64(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: 'rsa-1' })),
      b64(randomBytes(256)),
      b64(randomBytes(12)),
      b64(randomBytes(64)),
      b64(randomBytes(16)),
    ].join('.'),
    expected: 'unsupported_token_type',
  },
  { title: 'two segments', token: `${HEADER}.${PAYLOAD}`, expected: 'malformed_token' },
  { title: 'base64 padding at the end', token: `${VALID}==`, expected: 'malformed_token' },
  {
    // token68 allows '=' only at the end, so the header itself is refused.
    title: 'base64 padding inside',
    token: `${HEADER}=.${PAYLOAD}.${SIGNATURE}`,
    expected: 'invalid_request',
    verify: 'malformed_token',
  },
  {
    title: 'whitespace in a segment',
    token: `${HEADER}.${PAYLOAD}.${SIGNATURE.slice(0, 20)} ${SIGNATURE.slice(20)}`,
    expected: 'invalid_request',
    verify: 'malformed_token',
  },
  {
    title: 'a non-canonical final base64url character',
    token: nonCanonical(VALID),
    expected: 'malformed_token',
  },
  {
    title: 'a header that is not an object',
    token: `${b64('["ES256"]')}.${PAYLOAD}.${SIGNATURE}`,
    expected: 'malformed_token',
  },
  {
    title: 'a token over the size cap',
    token: token({ pad: 'x'.repeat(9000) }),
    expected: 'malformed_token',
  },

  // The request
  {
    title: 'no credentials',
    token: VALID,
    sent: { path: '/me', headers: {} },
    expected: 'missing_token',
    verify: 'accepted',
  },
  {
    title: 'a scheme without a token',
    token: VALID,
    sent: { path: '/me', headers: { Authorization: 'Bearer' } },
    expected: 'invalid_request',
    verify: 'accepted',
  },
  {
    title: 'a quoted token',
    token: VALID,
    sent: { path: '/me', headers: { Authorization: `Bearer "${VALID}"` } },
    expected: 'invalid_request',
    verify: 'accepted',
  },
  {
    title: 'another scheme',
    token: VALID,
    sent: bearer(VALID, 'Token'),
    expected: 'invalid_request',
    verify: 'accepted',
  },
  {
    title: 'two Authorization headers',
    token: VALID,
    sent: { path: '/me', headers: { Authorization: [`Bearer ${VALID}`, `Bearer ${VALID}`] } },
    expected: 'invalid_request',
    verify: 'accepted',
  },
  {
    title: 'a query token when the query is not enabled',
    token: VALID,
    sent: { path: `/me?access_token=${VALID}`, headers: {} },
    expected: 'missing_token',
    verify: 'accepted',
  },
  {
    title: 'a query token when the query is enabled',
    token: VALID,
    sent: { path: `/me?access_token=${VALID}`, headers: {} },
    options: { tokenLocations: ['header', 'query'] },
    expected: 'accepted',
  },
  {
    title: 'a token in the query and in the header',
    token: VALID,
    sent: { path: `/me?access_token=${VALID}`, headers: bearer(VALID).headers },
    options: { tokenLocations: ['header', 'query'] },
    expected: 'invalid_request',
    verify: 'accepted',
  },
];

/** The request as Node would hand it to an adapter: repeated Authorization lines kept raw. */
function coreRequest({ path, headers }: Sent): BearerRequest {
  const lower: Record<string, string> = {};
  const rawHeaders: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) rawHeaders.push(name, v);
    lower[name.toLowerCase()] = values[0]!;
  }
  const url = new URL(path, 'http://127.0.0.1');
  return {
    headers: lower,
    rawHeaders,
    method: 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ip: '127.0.0.1',
  };
}

async function coreOutcome(run: () => Promise<unknown>): Promise<BearerError | 'accepted'> {
  try {
    await run();
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(BearerError);
    return err as BearerError;
  }
}

const codeOf = (result: BearerError | 'accepted') =>
  result === 'accepted' ? 'accepted' : result.code;
const errorParam = (challenge: string | undefined) =>
  /\berror="([^"]*)"/.exec(challenge ?? '')?.[1];

function expectNoLeak(answer: RawAnswer, jwt: string): void {
  const text = answer.body + JSON.stringify(answer.headers);
  expect(text).not.toContain(jwt);
  const signature = jwt.split('.')[2] ?? '';
  if (signature.length >= 16) expect(text).not.toContain(signature);
}

afterAll(() => expect(fetched).toEqual([]));

describe('strict verification through the core, Express and Koa', () => {
  it.each(cases)('$title: $expected', async (c) => {
    const options = { ...BASE, ...c.options };
    const sent = c.sent ?? bearer(c.token);
    const verifier = createVerifier(options);

    const core = await coreOutcome(() => verifier.authenticate(coreRequest(sent)));
    const verified = await coreOutcome(() => verifier.verify(c.token));
    const [express, koa] = await Promise.all([
      rawGet(expressApp(expressBearer(options), { json: true }), sent.path, sent.headers),
      rawGet(koaApp(koaBearer(options), { json: true }).callback(), sent.path, sent.headers),
    ]);

    expect(codeOf(core)).toBe(c.expected);
    expect(codeOf(verified)).toBe(c.verify ?? c.expected);
    for (const answer of [express, koa]) expectNoLeak(answer, c.token);

    if (c.expected === 'accepted') {
      expect([express.status, koa.status]).toEqual([200, 200]);
      expect(JSON.parse(express.body)).toEqual({
        subject: 'client-1',
        scopes: ['alerts:read', 'playbooks:run'],
      });
      expect(JSON.parse(koa.body)).toEqual(JSON.parse(express.body));
      expect(express.headers['www-authenticate']).toBeUndefined();
      expect(koa.headers['www-authenticate']).toBeUndefined();
      return;
    }

    const refusal = core as BearerError;
    const { status, error } = REASONS[c.expected];
    expect(refusal.status).toBe(status);
    expect([express.status, koa.status]).toEqual([status, status]);
    expect(JSON.parse(express.body).reason).toBe(c.expected);
    expect(JSON.parse(koa.body)).toEqual(JSON.parse(express.body));
    expect(JSON.parse(express.body)).toEqual(refusal.toJSON());

    const challenge = refusal.headers['WWW-Authenticate'];
    expect(express.headers['www-authenticate']).toBe(challenge);
    expect(koa.headers['www-authenticate']).toBe(challenge);
    expect(errorParam(challenge)).toBe(error);
    expect(challenge).toMatch(/^Bearer realm="api"/);
  });
});

// ---------------------------------------------------------------------------------------------
// Any Authorization value, as raw bytes: never a 500, and both adapters agree.

describe('any Authorization header value', () => {
  let servers: [Listening, Listening];
  beforeAll(async () => {
    servers = await Promise.all([
      listen(expressApp(expressBearer(BASE), { json: true })),
      listen(koaApp(koaBearer(BASE), { json: true }).callback()),
    ]);
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  const tokenish = fc.oneof(
    fc.constant(VALID),
    fc.constantFrom(
      `${VALID}=`,
      `${VALID} `,
      ` ${VALID}`,
      nonCanonical(VALID),
      `${HEADER}.${PAYLOAD}`,
    ),
    fc.string({ unit: 'binary' }),
  );
  const value = fc
    .oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'binary-ascii' }),
      fc
        .tuple(
          fc.constantFrom('Bearer', 'bearer', 'BeArEr', 'Basic', 'Bearer,', 'Token', ''),
          fc.constantFrom(' ', '  ', '\t', '', '\v', '\u00a0'),
          tokenish,
        )
        .map((parts) => parts.join('')),
    )
    // A line break would end the header line: that is another header, not another value.
    .map((text) => text.replace(/[\r\n]/g, ''));

  it('answers 400 or 401 (200 only for the valid token), alike in both adapters', async () => {
    await fc.assert(
      fc.asyncProperty(value, async (text) => {
        const [express, koa] = await Promise.all([
          rawAuthorization(servers[0].port, '/me', text),
          rawAuthorization(servers[1].port, '/me', text),
        ]);
        // Node drops the optional whitespace around a header value (RFC 9110 §5.5).
        const valid = new RegExp(`^bearer +${VALID.replace(/[.+]/g, '\\$&')}$`, 'i').test(
          text.replace(/^[ \t]+|[ \t]+$/g, ''),
        );
        expect(express.status).toBe(koa.status);
        expect(valid ? [200] : [400, 401]).toContain(express.status);
        if (express.body && koa.body)
          expect(JSON.parse(koa.body)).toEqual(JSON.parse(express.body));
        for (const answer of [express, koa]) {
          expect(answer.head + answer.body).not.toContain(SIGNATURE);
        }
      }),
      { numRuns: 200 },
    );
  });
});
