import { createServer } from 'node:net';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import request from 'supertest';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';

const AUDIENCE = 'https://api.example.test';

async function fetchToken(issuer: DevIssuer): Promise<string> {
  const res = await request(issuer.issuer)
    .post('/oauth/token')
    .auth('demo-client', 'demo-secret')
    .type('form')
    .send('grant_type=client_credentials')
    .expect(200);
  return res.body.access_token;
}

async function publishedJwks(issuer: DevIssuer) {
  const res = await request(issuer.issuer).get('/.well-known/jwks.json').expect(200);
  return res.body;
}

async function verifyOverHttp(issuer: DevIssuer, token: string) {
  const keySet = createLocalJWKSet(await publishedJwks(issuer));
  return jwtVerify(token, keySet, { issuer: issuer.issuer, audience: AUDIENCE, typ: 'at+jwt' });
}

describe.each(['ES256', 'RS256'] as const)('with %s keys', (algorithm) => {
  let issuer: DevIssuer;

  beforeEach(async () => {
    issuer = await startDevIssuer({ algorithm });
  });

  afterEach(() => issuer.close());

  test('token endpoint tokens verify against the JWKS served over HTTP', async () => {
    const token = await fetchToken(issuer);
    const { protectedHeader, payload } = await verifyOverHttp(issuer, token);

    expect(protectedHeader.alg).toBe(algorithm);
    expect(payload.client_id).toBe('demo-client');
  });

  test('rotateKeys keeps the old kid published and signs new tokens with the new kid', async () => {
    const before = await fetchToken(issuer);
    const oldKid = decodeProtectedHeader(before).kid;
    const { kid } = await issuer.rotateKeys();
    const after = await fetchToken(issuer);

    expect(kid).not.toBe(oldKid);
    expect(decodeProtectedHeader(after).kid).toBe(kid);
    expect(decodeProtectedHeader(await issuer.mint()).kid).toBe(kid);
    expect((await publishedJwks(issuer)).keys.map((k: { kid: string }) => k.kid)).toEqual([
      kid,
      oldKid,
    ]);
    await expect(verifyOverHttp(issuer, before)).resolves.toBeDefined();
    await expect(verifyOverHttp(issuer, after)).resolves.toBeDefined();
  });

  test('rotateKeys with keepPrevious false unpublishes the old key', async () => {
    const before = await fetchToken(issuer);
    const { kid } = await issuer.rotateKeys({ keepPrevious: false });

    expect((await publishedJwks(issuer)).keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
    await expect(verifyOverHttp(issuer, before)).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });

  test('removeKey drops the kid from the JWKS until the issuer is told otherwise', async () => {
    const oldKid = issuer.jwks().keys[0]?.kid ?? '';
    const { kid } = await issuer.rotateKeys();
    issuer.removeKey(oldKid);

    expect((await publishedJwks(issuer)).keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
    await issuer.rotateKeys();
    expect(issuer.jwks().keys.map((k) => k.kid)).not.toContain(oldKid);
  });

  test('removing the current key leaves tokens signed under a kid the JWKS lacks', async () => {
    const kid = issuer.jwks().keys[0]?.kid ?? '';
    issuer.removeKey(kid);
    const token = await fetchToken(issuer);

    expect(decodeProtectedHeader(token).kid).toBe(kid);
    expect(await publishedJwks(issuer)).toEqual({ keys: [] });
  });
});

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

test('close frees the port, even with a keep-alive connection open', async () => {
  const issuer = await startDevIssuer();
  const port = Number(new URL(issuer.issuer).port);
  await fetch(issuer.jwksUri).then((res) => res.arrayBuffer());

  expect(await portIsFree(port)).toBe(false);
  await issuer.close();
  expect(await portIsFree(port)).toBe(true);
});

test('close called twice resolves both times', async () => {
  const issuer = await startDevIssuer();

  await expect(Promise.all([issuer.close(), issuer.close()])).resolves.toEqual([
    undefined,
    undefined,
  ]);
});

test('listens on the requested port', async () => {
  const holder = await startDevIssuer();
  const port = Number(new URL(holder.issuer).port);
  await holder.close();

  const issuer = await startDevIssuer({ port });
  try {
    expect(issuer.issuer).toBe(`http://127.0.0.1:${port}`);
  } finally {
    await issuer.close();
  }
});

test('rejects with EADDRINUSE when the port is taken', async () => {
  const first = await startDevIssuer();
  try {
    const port = Number(new URL(first.issuer).port);
    await expect(startDevIssuer({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  } finally {
    await first.close();
  }
});

test('rejects a non-loopback host with a TypeError before listening', async () => {
  await expect(startDevIssuer({ host: '0.0.0.0' })).rejects.toThrow(TypeError);
});
