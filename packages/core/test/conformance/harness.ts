// Shared by the conformance suites (not a test file): loading the vectors in ../vectors, building
// verifier options from a vector's key, and running a token through the signature layer or the
// full public verifier. Both report an outcome: 'accepted', a reason code, or 'TypeError' when
// the configuration itself is refused at construction.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BearerError, createVerifier, type ReasonCode, type VerifierOptions } from '../../src';
import { verifyJws } from '../../src/jws';
import { KeySet } from '../../src/keys/jwk';
import { StaticKeySource } from '../../src/keys/static-key-source';
import { resolveOptions } from '../../src/options';
import { parseJws } from '../../src/token';
import type { JsonWebKey } from '../../src/types';

export type Outcome = 'accepted' | ReasonCode | 'TypeError';

/** A JWK as the vectors give it: possibly private, possibly not even well formed. */
export type Jwk = Record<string, unknown>;

/** A vector's key: one JWK or a JWK Set. */
export type KeyOrSet = Jwk | { keys: Jwk[] };

/** A Wycheproof test file (json_web_signature, _key, _crypto and _encryption share this shape). */
export interface WycheproofFile<T> {
  numberOfTests: number;
  testGroups: { comment: string; private?: KeyOrSet; public?: KeyOrSet; tests: T[] }[];
}

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  /** Compact serialization, or an object for the JSON serialization. */
  jws?: string | Record<string, unknown>;
  jwe?: string | Record<string, unknown>;
}

export const ISSUER = 'https://issuer.example';

const VECTORS = join(__dirname, '..', 'vectors');
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/** Reads a JSON file from packages/core/test/vectors. */
export function loadVector<T>(path: string): T {
  return JSON.parse(readFileSync(join(VECTORS, path), 'utf8')) as T;
}

/** The JWKs of a key or key set. */
export function jwkList(key: KeyOrSet): Jwk[] {
  return Array.isArray(key.keys) ? (key.keys as Jwk[]) : [key as Jwk];
}

/** A JWKS of the public halves of a vector's keys (private members stripped). */
export function publicJwks(key: KeyOrSet): { keys: JsonWebKey[] } {
  const strip = (jwk: Jwk) =>
    Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name)));
  return { keys: jwkList(key).map(strip) as JsonWebKey[] };
}

/** The bytes of a symmetric JWK, as an HMAC `secret`. */
export function secretOf(jwk: Jwk): Buffer {
  return Buffer.from(String(jwk.k), 'base64url');
}

/** The compact form of a vector's token; a JSON serialization is sent as its JSON text. */
export function asToken(value: string | Record<string, unknown> | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Verifier options for a static JWKS or an HMAC secret; no audience, the harness issuer. */
export function verifierOptions(extra: Partial<VerifierOptions>): VerifierOptions {
  return { issuer: ISSUER, audience: null, ...extra };
}

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return 'accepted';
  } catch (err) {
    if (err instanceof BearerError) return err.code;
    throw err;
  }
}

function construct<T>(build: () => T): T | 'TypeError' {
  try {
    return build();
  } catch (err) {
    if (err instanceof TypeError) return 'TypeError';
    throw err;
  }
}

/**
 * The verifier's pipeline up to and including the signature, for JWS whose payload is not a JWT
 * claims set: the options are resolved as createVerifier resolves them, the key set and key
 * source are the verifier's, then parse → header (alg allow-list, crit) → key candidates →
 * signature, on both signature paths. Only the JWT steps (claims JSON, typ, issuer, claim checks) are left out.
 */
export async function signatureLayer(token: string, options: VerifierOptions): Promise<Outcome> {
  const resolved = construct(() => resolveOptions(options));
  if (resolved === 'TypeError') return resolved;
  const keys = resolved.secret
    ? KeySet.fromSecret(resolved.secret)
    : KeySet.fromJwks(resolved.staticKeys?.keys ?? [], resolved.jwks.maxKeys);
  const source = new StaticKeySource(ISSUER, keys);
  const run = (offThread: boolean) =>
    outcomeOf(async () => {
      const jws = parseJws(token, resolved.maxTokenLength);
      await verifyJws(
        jws,
        resolved.algorithms,
        ({ header }) => source.candidates(header.kid, header.alg),
        offThread,
      );
    });
  // Both signature paths (on the event loop, and on the thread pool with `offloadSignatures`)
  // must give every vector the same answer.
  const [onLoop, onPool] = await Promise.all([run(false), run(true)]);
  if (JSON.stringify(onLoop) !== JSON.stringify(onPool)) {
    throw new Error(`The thread-pool path disagrees: ${JSON.stringify({ onLoop, onPool })}`);
  }
  return onLoop;
}

/** The public API: `createVerifier(options).verify(token)`. */
export async function fullVerifier(token: string, options: VerifierOptions): Promise<Outcome> {
  const verifier = construct(() => createVerifier(options));
  if (verifier === 'TypeError') return verifier;
  return outcomeOf(() => verifier.verify(token));
}

/** The `alg` of a compact token's header, if it has a readable one. */
export function headerAlg(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}

/** Counts outcomes as accepted / refused. */
export function tally(outcomes: readonly Outcome[]): { accepted: number; refused: number } {
  const accepted = outcomes.filter((o) => o === 'accepted').length;
  return { accepted, refused: outcomes.length - accepted };
}
