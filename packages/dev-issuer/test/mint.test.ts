import { generateKeyPairSync } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';
import { nowSeconds, UUID } from './helpers';

const AUDIENCE = 'https://api.example.test';

let issuer: DevIssuer;

beforeAll(async () => {
  issuer = await startDevIssuer();
});

afterAll(() => issuer.close());

function verify(token: string) {
  return jwtVerify(token, createLocalJWKSet(issuer.jwks()), {
    issuer: issuer.issuer,
    audience: AUDIENCE,
    typ: 'at+jwt',
  });
}

function currentKid(): string {
  return issuer.jwks().keys[0]?.kid ?? '';
}

/** The error code jose rejects `token` with, or `'verified'`. */
async function verifyOutcome(token: string): Promise<string> {
  return verify(token).then(
    () => 'verified',
    (error: errors.JOSEError) => error.code,
  );
}

describe('default claims and header', () => {
  test('are the RFC 9068 claims of the first client, with typ at+jwt and the current kid', async () => {
    const before = nowSeconds();
    const token = await issuer.mint();

    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: currentKid(),
    });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: issuer.issuer,
      sub: 'demo-client',
      aud: AUDIENCE,
      client_id: 'demo-client',
      scope: 'alerts:read',
      iat: expect.any(Number),
      exp: (claims.iat ?? 0) + 300,
      jti: expect.stringMatching(UUID),
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(nowSeconds());
  });

  test('verify against the published JWKS', async () => {
    expect(await verifyOutcome(await issuer.mint())).toBe('verified');
  });

  test('come from the first configured client and the configured audience and ttl', async () => {
    const custom = await startDevIssuer({
      clients: [{ clientId: 'reporter', clientSecret: 's', scopes: ['a', 'b'] }],
      audience: 'urn:reports',
      tokenTtlSeconds: 60,
    });
    try {
      const claims = decodeJwt(await custom.mint());
      expect(claims).toMatchObject({ sub: 'reporter', client_id: 'reporter', scope: 'a b' });
      expect(claims.aud).toBe('urn:reports');
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
    } finally {
      await custom.close();
    }
  });
});

describe('claim overrides', () => {
  test('a past exp makes a token that jose rejects as expired', async () => {
    const token = await issuer.mint({ exp: nowSeconds() - 60 });

    expect(await verifyOutcome(token)).toBe('ERR_JWT_EXPIRED');
  });

  test('exp set to undefined makes a token without exp', async () => {
    const token = await issuer.mint({ exp: undefined });

    expect(decodeJwt(token)).not.toHaveProperty('exp');
    expect(await verifyOutcome(token)).toBe('verified');
  });

  test('another audience makes a token that fails the audience check', async () => {
    const token = await issuer.mint({ aud: 'https://other.example.test' });

    expect(decodeJwt(token).aud).toBe('https://other.example.test');
    expect(await verifyOutcome(token)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('claims of any JSON value reach the token exactly as given', async () => {
    const claims = { exp: 'tomorrow', aud: ['a', 'b'], nested: { n: 1 }, sub: null };
    const token = await issuer.mint(claims);

    expect(decodeJwt(token)).toMatchObject(claims);
  });

  test('extra claims are added next to the defaults', async () => {
    const claims = decodeJwt(await issuer.mint({ roles: ['admin'] }));

    expect(claims.roles).toEqual(['admin']);
    expect(claims.client_id).toBe('demo-client');
  });
});

describe('key and header options', () => {
  test('an unpublished key makes a token whose signature fails under the current kid', async () => {
    const token = await issuer.mint({}, { key: 'unpublished' });

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: currentKid() });
    expect(await verifyOutcome(token)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  test('the unpublished key is never in the JWKS', async () => {
    await issuer.mint({}, { key: 'unpublished' });

    expect(issuer.jwks().keys).toHaveLength(1);
  });

  test('a custom kid not in the JWKS makes a token jose finds no key for', async () => {
    const token = await issuer.mint({}, { kid: 'no-such-kid' });

    expect(decodeProtectedHeader(token).kid).toBe('no-such-kid');
    expect(await verifyOutcome(token)).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });

  test('a header member set to undefined is dropped', async () => {
    const token = await issuer.mint({}, { header: { typ: undefined, kid: undefined } });

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256' });
  });

  test('header members override and extend the default header', async () => {
    const token = await issuer.mint({}, { header: { typ: 'JWT', cty: 'x' } });

    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      cty: 'x',
      kid: currentKid(),
    });
    expect(await verifyOutcome(token)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('another algorithm signs with an unpublished key of that algorithm', async () => {
    const token = await issuer.mint({}, { algorithm: 'RS256' });

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: currentKid() });
    expect(await verifyOutcome(token)).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });

  test('a CryptoKey of your own signs the token', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const token = await issuer.mint({}, { key: privateKey });

    await expect(jwtVerify(token, publicKey)).resolves.toBeDefined();
  });

  test('a KeyObject of your own signs the token with the given algorithm', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const token = await issuer.mint({}, { key: privateKey, algorithm: 'EdDSA' });

    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    await expect(jwtVerify(token, publicKey)).resolves.toBeDefined();
  });

  test('header.alg naming another algorithm is a TypeError', async () => {
    await expect(issuer.mint({}, { header: { alg: 'none' } })).rejects.toThrow(TypeError);
  });

  test('an unknown key choice is a TypeError', async () => {
    const key = 'previous' as unknown as 'current';

    await expect(issuer.mint({}, { key })).rejects.toThrow(TypeError);
  });
});
