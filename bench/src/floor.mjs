// The floor: node:crypto's `verify` over the signing input with a pre-imported KeyObject, then a
// minimal JSON.parse of the payload and an exp check. No library can do less and be a JWT check.
import { verify } from 'node:crypto';
import { cryptoParams } from './tokens.mjs';

/** `verify(token)` for one algorithm and public key: the claims, or a thrown Error. */
export function floorVerifier(alg, publicKey) {
  const { hash, key } = cryptoParams(alg, publicKey);
  return (token) => {
    const first = token.indexOf('.');
    const last = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(last + 1), 'base64url');
    if (!verify(hash, Buffer.from(token.slice(0, last)), key, signature)) {
      throw new Error('invalid signature');
    }
    const claims = JSON.parse(Buffer.from(token.slice(first + 1, last), 'base64url').toString());
    if (!(claims.exp > Date.now() / 1000)) throw new Error('expired');
    return claims;
  };
}
