/** What key an algorithm needs (RFC 7518 §3, RFC 8037 §3.1). */
interface AlgorithmSpec {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  /** Curves the key may be on (EC, OKP). */
  curves?: readonly string[];
  /** The digest, for RSA, ECDSA and HMAC. */
  hash?: 'sha256' | 'sha384' | 'sha512';
  /** RSASSA-PSS rather than PKCS#1 v1.5. */
  pss?: boolean;
  /** The shortest key, in bytes, for HMAC: the hash output size (RFC 7518 §3.2). */
  minKeyBytes?: number;
}

export const ALGORITHMS: Readonly<Record<string, AlgorithmSpec>> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', pss: true },
  PS512: { kty: 'RSA', hash: 'sha512', pss: true },
  ES256: { kty: 'EC', curves: ['P-256'], hash: 'sha256' },
  ES384: { kty: 'EC', curves: ['P-384'], hash: 'sha384' },
  ES512: { kty: 'EC', curves: ['P-521'], hash: 'sha512' },
  EdDSA: { kty: 'OKP', curves: ['Ed25519', 'Ed448'] },
  Ed25519: { kty: 'OKP', curves: ['Ed25519'] },
  HS256: { kty: 'oct', hash: 'sha256', minKeyBytes: 32 },
  HS384: { kty: 'oct', hash: 'sha384', minKeyBytes: 48 },
  HS512: { kty: 'oct', hash: 'sha512', minKeyBytes: 64 },
};

/** Asymmetric algorithms accepted when the user names none. */
export const DEFAULT_ALGORITHMS: readonly string[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** The HMAC algorithms, usable only with a configured `secret`. */
export const HMAC_ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];

export function isHmac(alg: string): boolean {
  return ALGORITHMS[alg]?.kty === 'oct';
}
