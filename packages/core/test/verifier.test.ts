import { inspect } from 'node:util';
import { BearerError, createVerifier, type BearerEvent, type VerifierOptions } from '../src';
import { accessClaims, generateKey, signToken } from './support/tokens';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const NOW = 1_800_000_000; // seconds
const rsa = generateKey('RS256', 'rsa-1');
const ec = generateKey('ES256', 'ec-1');
const ed = generateKey('EdDSA', 'ed-1');
const stranger = generateKey('ES256', 'ec-1'); // same kid, key not in the JWKS

function verifier(options: Partial<VerifierOptions> = {}) {
  return createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { keys: [rsa.jwk, ec.jwk, ed.jwk] },
    now: () => NOW * 1000,
    ...options,
  });
}

const claims = (extra: Record<string, unknown> = {}) => ({
  ...accessClaims(ISSUER, AUDIENCE, NOW),
  ...extra,
});
const token = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signToken({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt', ...header }, claims(extra), ec.privateKey);

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BearerError);
    return (err as BearerError).code;
  }
  return 'accepted';
}

describe('verify', () => {
  it.each([
    ['RS256', rsa],
    ['ES256', ec],
    ['EdDSA', ed],
  ])('accepts a valid %s token and reads its scopes and subject', async (alg, key) => {
    const jwt = signToken({ alg, kid: key.kid, typ: 'at+jwt' }, claims(), key.privateKey);
    const verified = await verifier().verify(jwt);
    expect(verified).toMatchObject({
      token: jwt,
      issuer: ISSUER,
      subject: 'client-1',
      clientId: 'client-1',
      scopes: ['alerts:read', 'playbooks:run'],
      expiresAt: new Date((NOW + 300) * 1000),
    });
  });

  it('keeps the raw token out of a logged or serialized verified token', async () => {
    const jwt = token();
    const verified = await verifier().verify(jwt);
    expect(verified.token).toBe(jwt);
    const signature = jwt.split('.')[2]!;
    for (const shown of [
      JSON.stringify(verified),
      inspect(verified),
      JSON.stringify({ ...verified }),
    ]) {
      expect(shown).toContain('client-1');
      expect(shown).not.toContain(signature);
    }
  });

  it.each<[string, () => string, string]>([
    ['an expired token', () => token({ exp: NOW - 10 }), 'token_expired'],
    ['a token not valid yet', () => token({ nbf: NOW + 60 }), 'token_not_yet_valid'],
    ['a token issued in the future', () => token({ iat: NOW + 60 }), 'token_not_yet_valid'],
    ['a token from another issuer', () => token({ iss: 'https://evil.test' }), 'issuer_mismatch'],
    ['a token without an issuer', () => token({ iss: undefined }), 'issuer_mismatch'],
    [
      'a token for another audience',
      () => token({ aud: 'https://other.test' }),
      'audience_mismatch',
    ],
    ['a token without an audience', () => token({ aud: undefined }), 'audience_mismatch'],
    ['an audience of the wrong type', () => token({ aud: [AUDIENCE, 7] }), 'audience_mismatch'],
    ['a token without exp', () => token({ exp: undefined }), 'claim_invalid'],
    ['exp as a string', () => token({ exp: String(NOW + 300) }), 'claim_invalid'],
    ['exp beyond any sane date', () => token({ exp: 1e300 }), 'claim_invalid'],
    ['a sub that is not a string', () => token({ sub: 42 }), 'claim_invalid'],
    ['a client_id that is not a string', () => token({ client_id: ['a'] }), 'claim_invalid'],
    ['a scope that is not a string', () => token({ scope: ['a'] }), 'claim_invalid'],
    [
      'alg none',
      () => token({}, { alg: 'none' }).replace(/\.[^.]+$/, '.'),
      'algorithm_not_allowed',
    ],
    ['an unknown kid', () => token({}, { kid: 'nope' }), 'key_not_found'],
    [
      'a typ that is not an access token',
      () => token({}, { typ: 'id_token+jwt' }),
      'unsupported_token_type',
    ],
    ['a crit header', () => token({}, { crit: ['exp'], exp: 1 }), 'malformed_token'],
    ['a JWE', () => 'a.b.c.d.e', 'unsupported_token_type'],
    ['two segments', () => 'eyJhbGciOiJFUzI1NiJ9.e30', 'malformed_token'],
    ['padding in a segment', () => token().replace('.', '=.'), 'malformed_token'],
    [
      'a header that is not an object',
      () => `${Buffer.from('[1]').toString('base64url')}.e30.AA`,
      'malformed_token',
    ],
    [
      'a payload that is not JSON',
      () => `${token().split('.')[0]}.${Buffer.from('x').toString('base64url')}.AA`,
      'malformed_token',
    ],
    ['a token over the size cap', () => token({ pad: 'x'.repeat(9000) }), 'malformed_token'],
  ])('refuses %s', async (_name, make, expected) => {
    expect(await reason(verifier().verify(make()))).toBe(expected);
  });

  it('refuses an algorithm outside the allow-list before any key work', async () => {
    expect(await reason(verifier({ algorithms: ['RS256'] }).verify(token()))).toBe(
      'algorithm_not_allowed',
    );
  });

  it('refuses a token signed by a key that is not in the JWKS, even with a known kid', async () => {
    const forged = signToken({ alg: 'ES256', kid: 'ec-1' }, claims(), stranger.privateKey);
    expect(await reason(verifier().verify(forged))).toBe('signature_invalid');
  });

  it('refuses a tampered payload and a tampered signature', async () => {
    const [h, p, s] = token().split('.') as [string, string, string];
    const payload = Buffer.from(JSON.stringify({ ...claims(), scope: 'admin' })).toString(
      'base64url',
    );
    expect(await reason(verifier().verify(`${h}.${payload}.${s}`))).toBe('signature_invalid');
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(await reason(verifier().verify(`${h}.${p}.${flipped}`))).toBe('signature_invalid');
  });

  it('accepts exp and nbf within the clock tolerance, and refuses just past it', async () => {
    expect(await reason(verifier().verify(token({ exp: NOW - 4 })))).toBe('accepted');
    expect(await reason(verifier().verify(token({ exp: NOW - 5 })))).toBe('token_expired');
    expect(await reason(verifier().verify(token({ nbf: NOW + 5 })))).toBe('accepted');
    expect(await reason(verifier({ clockTolerance: 0 }).verify(token({ nbf: NOW + 1 })))).toBe(
      'token_not_yet_valid',
    );
  });

  it('accepts typ JWT and no typ by default, and only at+jwt when strict', async () => {
    expect(await reason(verifier().verify(token({}, { typ: 'JWT' })))).toBe('accepted');
    expect(await reason(verifier().verify(token({}, { typ: undefined })))).toBe('accepted');
    const strict = verifier({ strict: true });
    expect(await reason(strict.verify(token({}, { typ: 'JWT' })))).toBe('unsupported_token_type');
    expect(await reason(strict.verify(token({}, { typ: 'application/at+jwt' })))).toBe('accepted');
    expect(await reason(strict.verify(token({ jti: undefined })))).toBe('claim_invalid');
  });

  it('applies maxTokenAge, requiredClaims and validate', async () => {
    expect(await reason(verifier({ maxTokenAge: 60 }).verify(token({ iat: NOW - 120 })))).toBe(
      'token_too_old',
    );
    expect(await reason(verifier({ requiredClaims: ['tenant'] }).verify(token()))).toBe(
      'claim_invalid',
    );
    const validate = (c: Record<string, unknown>) => c.tenant === 'acme';
    expect(await reason(verifier({ validate }).verify(token({ tenant: 'x' })))).toBe(
      'claim_invalid',
    );
    expect(await reason(verifier({ validate }).verify(token({ tenant: 'acme' })))).toBe('accepted');
  });

  it('accepts any of several audiences, and skips the check only when audience is null', async () => {
    const multi = verifier({ audience: ['https://a.test', AUDIENCE] });
    expect(await reason(multi.verify(token({ aud: ['x', AUDIENCE] })))).toBe('accepted');
    const off = verifier({ audience: null });
    expect(await reason(off.verify(token({ aud: undefined })))).toBe('accepted');
  });

  it('uses HMAC only with a configured secret, and then only HMAC', async () => {
    const secret = 'a-shared-secret-of-at-least-32-bytes!';
    const hs = signToken({ alg: 'HS256', typ: 'at+jwt' }, claims(), Buffer.from(secret));
    expect(await reason(verifier().verify(hs))).toBe('algorithm_not_allowed');
    const hmac = verifier({ keys: undefined, secret });
    expect(await reason(hmac.verify(hs))).toBe('accepted');
    expect(await reason(hmac.verify(token()))).toBe('algorithm_not_allowed');
  });
});

describe('createVerifier', () => {
  it.each<[string, Partial<VerifierOptions>]>([
    ['no audience', { audience: undefined as never }],
    ['an empty issuer list', { issuer: [] }],
    ['alg none in the allow-list', { algorithms: ['none'] }],
    ['HMAC without a secret', { algorithms: ['HS256'] }],
    ['a short secret', { keys: undefined, secret: 'short' }],
    ['a negative clock tolerance', { clockTolerance: -1 }],
    ['an unknown token location', { tokenLocations: ['cookie' as never] }],
    ['a misspelt option', { clocktolerance: 5 } as never],
    ['a misspelt jwks option', { jwks: { timeout: 1 } as never }],
  ])('throws a TypeError for %s', (_name, options) => {
    expect(() => verifier(options)).toThrow(TypeError);
  });
});

describe('events', () => {
  it('reports a refusal without the raw token or its signature', async () => {
    const events: BearerEvent[] = [];
    const jwt = token({ exp: NOW - 100 });
    await reason(verifier({ onEvent: (e) => events.push(e) }).verify(jwt, { ip: '10.0.0.1' }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'token.expired',
      reason: 'token_expired',
      status: 401,
      time: new Date(NOW * 1000).toISOString(),
      request: { ip: '10.0.0.1' },
      token: { alg: 'ES256', kid: 'ec-1', iss: ISSUER, sub: 'client-1', verified: false },
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain(jwt);
    expect(text).not.toContain(jwt.split('.')[2]);
  });

  it('keeps verifying when an event listener throws', async () => {
    const v = verifier({
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(await reason(v.verify(token()))).toBe('accepted');
    expect(await reason(v.verify(token({ exp: 1 })))).toBe('token_expired');
  });

  // Jest fails a test in which a promise rejection goes unhandled.
  it('keeps verifying when an async event listener rejects', async () => {
    const v = verifier({
      onEvent: async () => {
        throw new Error('log shipper down');
      },
    });
    expect(await reason(v.verify(token()))).toBe('accepted');
    expect(await reason(v.verify(token({ exp: 1 })))).toBe('token_expired');
    await new Promise((resolve) => setImmediate(resolve));
  });
});
