import { compactVerify } from 'jose';
import type { TrustedKey } from './keys/jwk';
import type { ParsedJws } from './token';

/**
 * True when one of the candidate keys verifies the token's signature by `alg`. The signature is
 * checked by jose; the token's syntax, its header and the keys were vetted before this point.
 */
export async function verifySignature(
  parsed: ParsedJws,
  alg: string,
  candidates: readonly TrustedKey[],
): Promise<boolean> {
  for (const candidate of candidates) {
    try {
      await compactVerify(parsed.raw, candidate.key, { algorithms: [alg] });
      return true;
    } catch {
      // A wrong key or a bad signature: try the next candidate, if any.
    }
  }
  return false;
}
