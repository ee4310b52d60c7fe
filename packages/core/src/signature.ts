import {
  constants,
  createHmac,
  timingSafeEqual,
  verify,
  type KeyObject,
  type VerifyKeyObjectInput,
} from 'node:crypto';
import { ALGORITHMS } from './keys/algorithms';
import type { TrustedKey } from './keys/jwk';
import type { ParsedJws } from './token';

// RFC 7518 §3.4: an ECDSA JWS signature is R || S, each the size of the curve's order.
const ECDSA_SIGNATURE_BYTES: Readonly<Record<string, number>> = {
  ES256: 64,
  ES384: 96,
  ES512: 132,
};
// RFC 7518 §3.5: the PSS salt is as long as the hash output.
const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

type PublicKeyCheck = [digest: string | null, key: KeyObject | VerifyKeyObjectInput];

// What node:crypto's `verify` needs for a public-key algorithm: the algorithm fixes hash, padding
// and encoding, and the key was vetted for that algorithm before this point. Undefined for HMAC,
// and for a signature that cannot be right (an ECDSA signature of the wrong length).
function publicKeyCheck(
  alg: string,
  key: KeyObject,
  signature: Buffer,
): PublicKeyCheck | undefined {
  const spec = ALGORITHMS[alg];
  switch (spec?.kty) {
    case 'OKP':
      return [null, key];
    case 'EC':
      if (signature.length !== ECDSA_SIGNATURE_BYTES[alg]) return undefined;
      return [spec.hash as string, { key, dsaEncoding: 'ieee-p1363' }];
    case 'RSA':
      // PKCS#1 v1.5 is what an RSA key verifies by default; PSS is asked for.
      if (!spec.pss) return [spec.hash as string, key];
      return [
        spec.hash as string,
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: HASH_BYTES[spec.hash as keyof typeof HASH_BYTES],
        },
      ];
    default:
      return undefined;
  }
}

function hmacMatches(alg: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const mac = createHmac(ALGORITHMS[alg]?.hash as string, key)
    .update(data)
    .digest();
  return mac.length === signature.length && timingSafeEqual(mac, signature);
}

// One signature check by node:crypto, never by hand.
function checkOne(alg: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  if (ALGORITHMS[alg]?.kty === 'oct') return hmacMatches(alg, key, data, signature);
  const check = publicKeyCheck(alg, key, signature);
  return check !== undefined && verify(check[0], data, check[1], signature);
}

// The same check on libuv's thread pool (node:crypto's asynchronous `verify`).
function checkOneOffThread(
  alg: string,
  key: KeyObject,
  data: Buffer,
  signature: Buffer,
): Promise<boolean> {
  if (ALGORITHMS[alg]?.kty === 'oct')
    return Promise.resolve(hmacMatches(alg, key, data, signature));
  const check = publicKeyCheck(alg, key, signature);
  if (check === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    verify(check[0], data, check[1], signature, (err, ok) => resolve(!err && ok));
  });
}

/**
 * The candidate key that verifies the token's signature by `alg`, if any. Signatures are checked
 * by node:crypto's `verify` (HMAC by `createHmac` and a constant-time compare): the measured fast
 * path (see `npm run bench`), held to the same Wycheproof and RFC 7520 suites as jose. The token's
 * syntax, its header and the keys were vetted before this point.
 */
export function verifySignature(
  parsed: ParsedJws,
  alg: string,
  candidates: readonly TrustedKey[],
): TrustedKey | undefined {
  const data = Buffer.from(parsed.signingInput, 'latin1');
  for (const candidate of candidates) {
    try {
      if (checkOne(alg, candidate.key, data, parsed.signature)) return candidate;
    } catch {
      // A malformed signature for this key: try the next candidate, if any.
    }
  }
  return undefined;
}

/**
 * {@link verifySignature} with the checks on libuv's thread pool, so that the event loop goes on
 * serving requests while another core verifies (the `offloadSignatures` option).
 */
export async function verifySignatureOffThread(
  parsed: ParsedJws,
  alg: string,
  candidates: readonly TrustedKey[],
): Promise<TrustedKey | undefined> {
  const data = Buffer.from(parsed.signingInput, 'latin1');
  for (const candidate of candidates) {
    try {
      if (await checkOneOffThread(alg, candidate.key, data, parsed.signature)) return candidate;
    } catch {
      // As above.
    }
  }
  return undefined;
}
