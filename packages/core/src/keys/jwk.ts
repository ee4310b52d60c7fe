import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JsonWebKey } from '../types';
import { ALGORITHMS } from './algorithms';

/** A key from a JWKS that passed every trust check, imported once. */
export interface TrustedKey {
  kid: string | undefined;
  /** The JWK's own `alg`, when it names one: then only that algorithm may use the key. */
  alg: string | undefined;
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  crv: string | undefined;
  key: KeyObject;
}

const MIN_RSA_BITS = 2048;
// Bounds the cost of one verification when a hostile JWKS publishes a huge modulus.
const MAX_RSA_BITS = 8192;
const EC_CURVES = ['P-256', 'P-384', 'P-521'];
const OKP_CURVES = ['Ed25519', 'Ed448'];

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

// Only the public members are passed on, so that odd members (`__proto__`, `x5u`, private parts)
// never reach the importer.
function publicMembers(jwk: JsonWebKey): Record<string, string> | undefined {
  if (jwk.kty === 'RSA' && str(jwk.n) && str(jwk.e)) return { kty: 'RSA', n: jwk.n, e: jwk.e };
  if (jwk.kty === 'EC' && EC_CURVES.includes(jwk.crv as string) && str(jwk.x) && str(jwk.y)) {
    return { kty: 'EC', crv: jwk.crv as string, x: jwk.x, y: jwk.y };
  }
  if (jwk.kty === 'OKP' && OKP_CURVES.includes(jwk.crv as string) && str(jwk.x)) {
    return { kty: 'OKP', crv: jwk.crv as string, x: jwk.x };
  }
  return undefined;
}

function rsaKeyIsSound(key: KeyObject): boolean {
  const details = key.asymmetricKeyDetails;
  const bits = details?.modulusLength ?? 0;
  const e = details?.publicExponent ?? 0n;
  // RFC 8017 §3.1: 3 <= e, and e odd; e = 1 would make every "signature" verify trivially.
  return bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS && e >= 3n && e % 2n === 1n;
}

/**
 * Imports one JWK for signature verification, or returns undefined when it cannot be trusted:
 * not a signing key (`use`, `key_ops`), symmetric, of an unknown type or curve, an RSA key under
 * 2048 bits or with a bad exponent, an EC point off its curve, or an `alg` that does not fit.
 */
export function importJwk(jwk: unknown): TrustedKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const candidate = jwk as JsonWebKey;
  if (candidate.use !== undefined && candidate.use !== 'sig') return undefined;
  if (candidate.key_ops !== undefined) {
    if (!Array.isArray(candidate.key_ops) || !candidate.key_ops.includes('verify'))
      return undefined;
  }
  if (candidate.kid !== undefined && typeof candidate.kid !== 'string') return undefined;

  const members = publicMembers(candidate);
  if (!members) return undefined;
  const alg = candidate.alg;
  if (alg !== undefined) {
    const spec = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
    if (!spec || spec.kty !== members.kty) return undefined;
    if (spec.curves && !spec.curves.includes(members.crv as string)) return undefined;
  }

  let key: KeyObject;
  try {
    key = createPublicKey({ key: members, format: 'jwk' });
  } catch {
    return undefined; // e.g. an EC point that is not on the curve
  }
  if (members.kty === 'RSA' && !rsaKeyIsSound(key)) return undefined;

  return {
    kid: candidate.kid,
    alg: alg as string | undefined,
    kty: members.kty as TrustedKey['kty'],
    crv: members.crv,
    key,
  };
}

/** True when `key` may verify a signature made with `alg`. */
export function keyFits(key: TrustedKey, alg: string): boolean {
  const spec = ALGORITHMS[alg];
  if (!spec || spec.kty !== key.kty) return false;
  if (spec.curves && !spec.curves.includes(key.crv as string)) return false;
  return key.alg === undefined || key.alg === alg;
}

/** The trusted keys of one JWKS, indexed by `kid`. */
export class KeySet {
  readonly size: number;
  private readonly byKid = new Map<string, TrustedKey[]>();

  constructor(private readonly keys: readonly TrustedKey[]) {
    this.size = keys.length;
    for (const key of keys) {
      if (key.kid === undefined) continue;
      const list = this.byKid.get(key.kid);
      if (list) list.push(key);
      else this.byKid.set(key.kid, [key]);
    }
  }

  /** Imports a JWKS's keys, ignoring untrusted ones and any beyond `maxKeys`. */
  static fromJwks(keys: readonly unknown[], maxKeys: number): KeySet {
    const trusted: TrustedKey[] = [];
    for (const jwk of keys.slice(0, maxKeys)) {
      const key = importJwk(jwk);
      if (key) trusted.push(key);
    }
    return new KeySet(trusted);
  }

  /** Keys that may check a signature by `alg`: those with the token's `kid`, or, without one,
   * every key that fits. */
  select(kid: string | undefined, alg: string): TrustedKey[] {
    const pool = kid === undefined ? this.keys : (this.byKid.get(kid) ?? []);
    return pool.filter((key) => keyFits(key, alg));
  }

  /** True when some key carries this `kid`. */
  has(kid: string): boolean {
    return this.byKid.has(kid);
  }
}
