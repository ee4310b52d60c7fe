import type { webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

/**
 * A public signing key as published in the dev issuer's JWKS.
 *
 * @example
 * ```ts
 * const [key] = issuer.jwks().keys;
 * console.log(key.kid, key.alg, key.use); // '3Jx…', 'ES256', 'sig'
 * ```
 */
export interface DevJwk {
  /** Key type: `'EC'`, `'RSA'` or `'OKP'`. */
  kty: string;
  /** RFC 7638 thumbprint of the key. */
  kid: string;
  /** The algorithm the key signs with. */
  alg: string;
  /** Always `'sig'`. */
  use: 'sig';
  /** Curve of `EC` and `OKP` keys. */
  crv?: string;
  /** Public coordinate of `EC` and `OKP` keys. */
  x?: string;
  /** Public coordinate of `EC` keys. */
  y?: string;
  /** Modulus of `RSA` keys. */
  n?: string;
  /** Exponent of `RSA` keys. */
  e?: string;
}

/** A generated key pair with its public JWK. */
export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: webcrypto.CryptoKey;
  publicJwk: DevJwk;
}

/** Generates a key pair for `alg`; the kid is the RFC 7638 thumbprint of the public key. */
export async function createSigningKey(alg: string): Promise<SigningKey> {
  // RSA keys are 2048 bits, the RFC 7518 §3.3 minimum; the private key is not extractable.
  const { publicKey, privateKey } = await generateKeyPair(alg, { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk = { ...jwk, kid, alg, use: 'sig' } as DevJwk;
  return { kid, alg, privateKey, publicJwk };
}

/**
 * The issuer's keys: one current signing key, the published set, and unpublished keys kept
 * per algorithm for "signed by some other key" tokens.
 */
export class KeyRing {
  readonly #algorithm: string;
  #current: SigningKey;
  // Newest first, so the JWKS lists the current key first.
  #published: SigningKey[];
  readonly #unpublished = new Map<string, Promise<SigningKey>>();

  private constructor(algorithm: string, first: SigningKey) {
    this.#algorithm = algorithm;
    this.#current = first;
    this.#published = [first];
  }

  /** Creates a ring with one fresh, published key of `algorithm`. */
  static async create(algorithm: string): Promise<KeyRing> {
    return new KeyRing(algorithm, await createSigningKey(algorithm));
  }

  /** The key that signs issued tokens. It stays current even after it is removed. */
  get current(): SigningKey {
    return this.#current;
  }

  /** Makes a fresh key current; the previous one stays published unless `keepPrevious` is false. */
  async rotate(keepPrevious = true): Promise<SigningKey> {
    const next = await createSigningKey(this.#algorithm);
    const previous = this.#current;
    this.#current = next;
    this.#published = [next, ...this.#published.filter((k) => keepPrevious || k !== previous)];
    return next;
  }

  /** Drops `kid` from the published set. Removing a kid that is not published does nothing. */
  remove(kid: string): void {
    this.#published = this.#published.filter((key) => key.kid !== kid);
  }

  /** The public JWKS. Each call returns fresh objects, so callers may change them freely. */
  jwks(): { keys: DevJwk[] } {
    return { keys: this.#published.map((key) => ({ ...key.publicJwk })) };
  }

  /** A key of `alg` that is never published; the same one for every call with that `alg`. */
  unpublished(alg: string): Promise<SigningKey> {
    let key = this.#unpublished.get(alg);
    if (key === undefined) {
      key = createSigningKey(alg);
      // A failed generation (say, an unsupported alg) must not be cached.
      key.catch(() => this.#unpublished.delete(alg));
      this.#unpublished.set(alg, key);
    }
    return key;
  }
}
