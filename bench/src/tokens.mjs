// The keys and tokens every contender sees: one key per algorithm, made with node:crypto, and
// tokens signed with it. Nothing here depends on the library under test.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
export const AUDIENCE = 'https://alerts.bench.test';
// Long enough for a full run; every token stays valid until the run is over.
const TOKEN_TTL_SECONDS = 3600;

const KEY_TYPES = {
  RS256: ['rsa', { modulusLength: 2048 }, 'sha256'],
  ES256: ['ec', { namedCurve: 'P-256' }, 'sha256'],
  EdDSA: ['ed25519', {}, null],
};

/** The node:crypto `sign`/`verify` arguments for a JWS algorithm (RFC 7518 §3.4: raw r||s). */
export function cryptoParams(alg, key) {
  const [, , hash] = KEY_TYPES[alg];
  return { hash, key: alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key };
}

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A key pair for `alg`, with its public JWK; the kid is a hash of the public key. */
export function createKey(alg) {
  const [type, options] = KEY_TYPES[alg];
  const { publicKey, privateKey } = generateKeyPairSync(type, options);
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(JSON.stringify(jwk)).digest('base64url').slice(0, 16);
  return { alg, kid, publicKey, privateKey, jwk: { ...jwk, kid, alg, use: 'sig' } };
}

/** Signs a compact JWS with `key`; `header` members are merged over `{ alg, typ, kid }`. */
export function signJwt(key, claims, header = {}) {
  const input = `${b64({ alg: key.alg, typ: 'at+jwt', kid: key.kid, ...header })}.${b64(claims)}`;
  const { hash, key: privateKey } = cryptoParams(key.alg, key.privateKey);
  return `${input}.${sign(hash, Buffer.from(input), privateKey).toString('base64url')}`;
}

/** RFC 9068 claims of one client's access token. */
export function claimsFor(issuer, client, nowSeconds = Math.floor(Date.now() / 1000)) {
  return {
    iss: issuer,
    sub: client,
    aud: AUDIENCE,
    client_id: client,
    scope: 'alerts:read',
    iat: nowSeconds,
    exp: nowSeconds + TOKEN_TTL_SECONDS,
    jti: randomUUID(),
  };
}

/** `count` distinct tokens, each for its own client (`${prefix}-${from + i}`), signed by `key`. */
export function mintTokens(key, issuer, count, prefix = 'client', from = 0) {
  return Array.from({ length: count }, (_, i) =>
    signJwt(key, claimsFor(issuer, `${prefix}-${from + i}`)),
  );
}

// Below this, starting workers costs more than it saves.
const PARALLEL_THRESHOLD = 500;

/** Like {@link mintTokens}, with the signing spread over worker threads, one per core. */
export async function mintTokensInParallel(key, issuer, count, prefix = 'client') {
  const workers = Math.min(availableParallelism(), Math.ceil(count / PARALLEL_THRESHOLD));
  if (workers <= 1) return mintTokens(key, issuer, count, prefix);
  const size = Math.ceil(count / workers);
  const { alg, kid, privateKey } = key;
  const slices = Array.from({ length: workers }, (_, w) => {
    const from = w * size;
    const workerData = {
      key: { alg, kid, privateKey },
      issuer,
      prefix,
      from,
      count: Math.min(size, count - from),
    };
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./mint-worker.mjs', import.meta.url), {
        workerData,
        execArgv: [],
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  });
  return (await Promise.all(slices)).flat();
}

/** The same token with one byte of its signature changed: every verifier must refuse it. */
export function tamper(token) {
  const dot = token.lastIndexOf('.');
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  signature[0] ^= 0x01;
  return `${token.slice(0, dot + 1)}${signature.toString('base64url')}`;
}

/**
 * Tokens whose header names a random kid that no JWKS holds, as an attacker sends them: no
 * signing needed, since a verifier must look the key up before it can check the signature.
 */
export function forgeUnknownKids(token, count) {
  const [, payload, signature] = token.split('.');
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  return Array.from(
    { length: count },
    () => `${b64({ ...header, kid: randomUUID() })}.${payload}.${signature}`,
  );
}

/** One key per algorithm, by algorithm name. */
export function createKeys() {
  return Object.fromEntries(ALGORITHMS.map((alg) => [alg, createKey(alg)]));
}

/**
 * Per algorithm: `count` distinct tokens, and one repeated token (for a client of its own, so
 * that it is not also one of the distinct ones).
 */
export async function mintTokenSets(keys, issuer, count) {
  const sets = {};
  for (const alg of ALGORITHMS) {
    const key = keys[alg];
    sets[alg] = {
      key,
      distinct: await mintTokensInParallel(key, issuer, count),
      repeated: signJwt(key, claimsFor(issuer, 'repeated-client')),
    };
  }
  return sets;
}
