import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import type { JsonWebKey } from '../../src/types';

/** A signing key pair for tests, with its public JWK. */
export interface TestKey {
  alg: string;
  kid: string;
  privateKey: KeyObject;
  jwk: JsonWebKey;
}

let counter = 0;

/** Generates a key pair for `alg` (RS256, PS256, ES256, ES384, EdDSA). */
export function generateKey(alg: string, kid = `key-${++counter}`): TestKey {
  const { privateKey, publicKey } = alg.startsWith('ES')
    ? generateKeyPairSync('ec', {
        namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg]!,
      })
    : alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, jwk };
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

// Signs with node:crypto directly so tests can build tokens no library would (alg none, odd
// headers, claims of the wrong type).
function signature(alg: string, key: KeyObject | Buffer, input: string): Buffer {
  if (alg === 'none') return Buffer.alloc(0);
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('HS')) {
    return createHmac(hash, key).update(input).digest();
  }
  if (alg === 'EdDSA') return sign(null, Buffer.from(input), key as KeyObject);
  if (alg.startsWith('ES')) {
    return sign(hash, Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  }
  const padding = alg.startsWith('PS') ? 6 : 1; // RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING
  return sign(hash, Buffer.from(input), { key: key as KeyObject, padding, saltLength: 32 });
}

/** Builds a compact JWS from any header and payload. */
export function signToken(
  header: Record<string, unknown>,
  payload: unknown,
  key: KeyObject | Buffer,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signature(String(header.alg), key, input).toString('base64url')}`;
}

/** Claims of a valid access token for `issuer` and `audience`, `now` in seconds. */
export function accessClaims(
  issuer: string,
  audience: string,
  now = Math.floor(Date.now() / 1000),
) {
  return {
    iss: issuer,
    sub: 'client-1',
    aud: audience,
    client_id: 'client-1',
    scope: 'alerts:read playbooks:run',
    iat: now,
    exp: now + 300,
    jti: `jti-${++counter}`,
  };
}

/** Re-parses a PEM or JWK private key, for keys given in vectors. */
export const privateKeyFrom = createPrivateKey;
