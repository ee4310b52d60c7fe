import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JsonWebKey } from '../types';
import { ALGORITHMS } from './algorithms';
import { hasRocaFingerprint } from './roca';

/** A key from a JWKS that passed every trust check, imported once; or the configured secret. */
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
// FIPS 186-5 §A.1.1: 2^16 < e < 2^256, e odd. e = 1 would make every "signature" verify.
const MIN_RSA_EXPONENT = 65537n;
const MAX_RSA_EXPONENT = 2n ** 256n;
const EC_CURVES = ['P-256', 'P-384', 'P-521'];
const OKP_CURVES = ['Ed25519', 'Ed448'];
// RFC 7518 §6.2.2 and §6.3.2: members only a private key has.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

// Only the public members are passed on, so that odd members (`__proto__`, `x5u`) never reach
// the importer.
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

// RFC 7517 §4.2 and §4.3: a key published for encryption, or for operations other than
// verification, is not a signing key.
function isForVerification(jwk: JsonWebKey): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.key_ops === undefined) return true;
  return Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify');
}

// A JWK `alg` binds the key to that one algorithm (RFC 7517 §4.4); an unknown one, or one that
// does not fit the key's type and curve, makes the key unusable.
function algFitsMembers(alg: unknown, members: Record<string, string>): boolean {
  if (alg === undefined) return true;
  const spec = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (!spec || spec.kty !== members.kty) return false;
  return !spec.curves || spec.curves.includes(members.crv as string);
}

function rsaKeyIsSound(key: KeyObject, n: string): boolean {
  const details = key.asymmetricKeyDetails;
  const bits = details?.modulusLength ?? 0;
  const e = details?.publicExponent ?? 0n;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return false;
  if (e < MIN_RSA_EXPONENT || e >= MAX_RSA_EXPONENT || e % 2n === 0n) return false;
  return !hasRocaFingerprint(BigInt(`0x${Buffer.from(n, 'base64url').toString('hex')}`));
}

/**
 * Imports one JWK for signature verification, or returns undefined when it cannot be trusted:
 * not a signing key (`use`, `key_ops`), symmetric, carrying private members (a published private
 * key is a leaked one), of an unknown type or curve, an RSA key outside 2048–8192 bits, with a
 * bad exponent or the ROCA fingerprint, an EC point off its curve, or an `alg` that does not fit.
 */
export function importJwk(jwk: unknown): TrustedKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const candidate = jwk as JsonWebKey;
  if (!isForVerification(candidate)) return undefined;
  if (candidate.kid !== undefined && typeof candidate.kid !== 'string') return undefined;
  if (PRIVATE_MEMBERS.some((name) => candidate[name] !== undefined)) return undefined;

  const members = publicMembers(candidate);
  if (!members || !algFitsMembers(candidate.alg, members)) return undefined;

  let key: KeyObject;
  try {
    key = createPublicKey({ key: members, format: 'jwk' });
  } catch {
    return undefined; // e.g. an EC point that is not on the curve
  }
  if (members.kty === 'RSA' && !rsaKeyIsSound(key, members.n as string)) return undefined;

  return {
    kid: candidate.kid,
    alg: candidate.alg,
    kty: members.kty as TrustedKey['kty'],
    crv: members.crv,
    key,
  };
}

/** The configured HMAC secret as a trusted key: no `kid`, no `alg` of its own. */
export function secretKey(key: KeyObject): TrustedKey {
  return { kid: undefined, alg: undefined, kty: 'oct', crv: undefined, key };
}

/** True when `key` may verify a signature made with `alg`. */
export function keyFits(key: TrustedKey, alg: string): boolean {
  const spec = ALGORITHMS[alg];
  if (!spec || spec.kty !== key.kty) return false;
  if (spec.curves && !spec.curves.includes(key.crv as string)) return false;
  // RFC 7518 §3.2: an HMAC key at least as long as the hash output.
  if (spec.minKeyBytes && (key.key.symmetricKeySize ?? 0) < spec.minKeyBytes) return false;
  return key.alg === undefined || key.alg === alg;
}

/** The trusted keys of one JWKS, indexed by `kid`; or the configured secret. */
export class KeySet {
  readonly size: number;
  private readonly byKid = new Map<string, TrustedKey[]>();
  private readonly selections = new Map<string, readonly TrustedKey[]>();
  // `importJwk` never admits a symmetric key, so an `oct` key here is the configured secret.
  // The operator gave that one key for every token, so it answers to any `kid`.
  private readonly secrets: readonly TrustedKey[];

  constructor(private readonly keys: readonly TrustedKey[]) {
    this.size = keys.length;
    this.secrets = keys.filter((key) => key.kty === 'oct');
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

  /** The key set of a verifier given an HMAC `secret`: that one key. */
  static fromSecret(secret: KeyObject): KeySet {
    return new KeySet([secretKey(secret)]);
  }

  /** Keys that may check a signature by `alg`: those with the token's `kid`, or, without one,
   * every key that fits. The configured secret is always a candidate. */
  select(kid: string | undefined, alg: string): readonly TrustedKey[] {
    // Answers are remembered per kid and alg: a key set is immutable, and most tokens share both.
    const memo = `${kid === undefined ? '' : `k:${kid}`}\u0000${alg}`;
    let found = this.selections.get(memo);
    if (found) return found;
    const named = kid === undefined ? this.keys : (this.byKid.get(kid) ?? []);
    const pool = kid === undefined ? named : [...named, ...this.secrets];
    found = pool.filter((key) => keyFits(key, alg));
    // Only kids the set holds are remembered, so random kids cannot grow the memo.
    if (found.length > 0) this.selections.set(memo, found);
    return found;
  }

  /** True when `key` is one of this set's keys. */
  includes(key: TrustedKey): boolean {
    return this.keys.includes(key);
  }

  /** True when some key carries this `kid`. */
  has(kid: string): boolean {
    return this.byKid.has(kid);
  }
}
