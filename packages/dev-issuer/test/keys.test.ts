import { calculateJwkThumbprint } from 'jose';
import { KeyRing } from '../src/keys';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

const algorithms = [
  { alg: 'ES256', kty: 'EC', crv: 'P-256' },
  { alg: 'ES384', kty: 'EC', crv: 'P-384' },
  { alg: 'RS256', kty: 'RSA', crv: undefined },
  { alg: 'PS256', kty: 'RSA', crv: undefined },
  { alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
];

describe.each(algorithms)('a $alg key ring', ({ alg, kty, crv }) => {
  test('publishes one public key with kid, alg and use sig, and no private member', async () => {
    const ring = await KeyRing.create(alg);
    const { keys } = ring.jwks();

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty, alg, use: 'sig', kid: ring.current.kid });
    expect(keys[0]?.crv).toBe(crv);
    for (const member of PRIVATE_MEMBERS) {
      expect(keys[0]).not.toHaveProperty(member);
    }
  });

  test('names the key by its RFC 7638 thumbprint', async () => {
    const ring = await KeyRing.create(alg);
    const [jwk] = ring.jwks().keys;

    expect(await calculateJwkThumbprint(jwk!)).toBe(ring.current.kid);
  });
});

test('RSA keys are 2048 bits', async () => {
  const ring = await KeyRing.create('RS256');
  const n = Buffer.from(ring.jwks().keys[0]?.n ?? '', 'base64url');

  expect(n.length * 8).toBe(2048);
});

test('rotate makes a new key current and lists it first, keeping the previous one', async () => {
  const ring = await KeyRing.create('ES256');
  const first = ring.current.kid;
  const next = await ring.rotate();

  expect(ring.current).toBe(next);
  expect(next.kid).not.toBe(first);
  expect(ring.jwks().keys.map((k) => k.kid)).toEqual([next.kid, first]);
});

test('rotate without keeping the previous key publishes only the new one', async () => {
  const ring = await KeyRing.create('ES256');
  await ring.rotate();
  const older = ring.jwks().keys.map((k) => k.kid);
  const next = await ring.rotate(false);

  expect(ring.jwks().keys.map((k) => k.kid)).toEqual([next.kid, older[1]]);
});

test('remove drops a kid from the JWKS but leaves the current key signing', async () => {
  const ring = await KeyRing.create('ES256');
  const current = ring.current;
  ring.remove(current.kid);

  expect(ring.jwks()).toEqual({ keys: [] });
  expect(ring.current).toBe(current);
});

test('removing a kid that is not published changes nothing', async () => {
  const ring = await KeyRing.create('ES256');
  const before = ring.jwks();
  ring.remove('no-such-kid');

  expect(ring.jwks()).toEqual(before);
});

test('jwks returns copies that callers may change without effect', async () => {
  const ring = await KeyRing.create('ES256');
  const copy = ring.jwks();
  copy.keys[0]!.kid = 'changed';
  copy.keys.pop();

  expect(ring.jwks().keys[0]?.kid).toBe(ring.current.kid);
});

test('the unpublished key of an algorithm is the same on every call and never published', async () => {
  const ring = await KeyRing.create('ES256');
  const first = await ring.unpublished('ES256');
  const again = await ring.unpublished('ES256');

  expect(again).toBe(first);
  expect(first.kid).not.toBe(ring.current.kid);
  expect(ring.jwks().keys.map((k) => k.kid)).toEqual([ring.current.kid]);
});

test('an unsupported algorithm fails, and is not remembered as a key', async () => {
  const ring = await KeyRing.create('ES256');

  await expect(ring.unpublished('HS256')).rejects.toMatchObject({ code: 'ERR_JOSE_NOT_SUPPORTED' });
  await expect(ring.unpublished('HS256')).rejects.toMatchObject({ code: 'ERR_JOSE_NOT_SUPPORTED' });
});
