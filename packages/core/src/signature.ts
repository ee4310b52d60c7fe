import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
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

// One signature check by node:crypto, never by hand: the algorithm fixes hash, padding and
// encoding, and the key was vetted for that algorithm before this point.
function checkOne(alg: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  const spec = ALGORITHMS[alg];
  if (!spec) return false;
  switch (spec.kty) {
    case 'oct': {
      const mac = createHmac(spec.hash as string, key)
        .update(data)
        .digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    case 'OKP':
      return verify(null, data, key, signature);
    case 'EC':
      if (signature.length !== ECDSA_SIGNATURE_BYTES[alg]) return false;
      return verify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'RSA':
      if (!spec.pss) {
        return verify(spec.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      }
      return verify(
        spec.hash,
        data,
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: HASH_BYTES[spec.hash as keyof typeof HASH_BYTES],
        },
        signature,
      );
  }
}

/**
 * The candidate key that verifies the token's signature by `alg`. Signatures are
 * checked by node:crypto's `verify` (HMAC by `createHmac` and a constant-time compare): the
 * measured fast path (see `npm run bench`), held to the same Wycheproof and RFC 7520 suites as
 * jose. The token's syntax, its header and the keys were vetted before this point.
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
