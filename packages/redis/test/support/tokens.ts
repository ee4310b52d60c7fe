// Signs test tokens with node:crypto; not a test file itself.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { JsonWebKeySet } from '@bearerguard/core';

export const ISSUER = 'https://issuer.example.test';
export const AUDIENCE = 'https://api.example.test';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The public key, as a JWKS for the verifier's `keys` option. */
export const JWKS: JsonWebKeySet = {
  keys: [
    { ...publicKey.export({ format: 'jwk' }), kty: 'EC', kid: 'k1', alg: 'ES256', use: 'sig' },
  ],
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ES256 access token valid for five minutes; `claims` are merged over the defaults. */
export function token(claims: Record<string, unknown> = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'client-1',
    iat,
    exp: iat + 300,
    jti: randomUUID(),
    ...claims,
  };
  const input = `${b64({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}
