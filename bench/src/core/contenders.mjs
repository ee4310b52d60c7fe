// The verifiers of the core scenario. Each `create` resolves to `verify(token)`, which returns
// (or resolves to) the token's claims and throws (or rejects) for a token it refuses.
import { createVerifier as createBearerVerifier } from '@bearerguard/core';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { createVerifier as createFastVerifier } from 'fast-jwt';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { floorVerifier } from '../floor.mjs';
import { AUDIENCE } from '../tokens.mjs';

// The floor: see floor.mjs.
const floor = ({ alg, key }) => floorVerifier(alg, key.publicKey);

function bearerguard({ alg, issuer, jwksUri }, tokenCacheSize) {
  const verifier = createBearerVerifier({
    issuer,
    audience: AUDIENCE,
    jwksUri,
    algorithms: [alg],
    tokenCacheSize,
  });
  return async (token) => (await verifier.verify(token)).claims;
}

// fast-jwt has no JWKS client: it gets the JWKS key as PEM, imported once, its best case.
function fastJwt({ alg, issuer, key }, cache) {
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' });
  return createFastVerifier({
    key: pem,
    algorithms: [alg],
    allowedIss: issuer,
    allowedAud: AUDIENCE,
    cache,
  });
}

// aws-jwt-verify fetches with node:https only; this fetcher lets it read the loopback JWKS.
const loopbackFetcher = { fetch: async (uri) => (await fetch(uri)).arrayBuffer() };

async function awsJwtVerify({ issuer, jwksUri }) {
  const jwksCache = new SimpleJwksCache({ fetcher: loopbackFetcher });
  const verifier = JwtVerifier.create({ issuer, audience: AUDIENCE, jwksUri }, { jwksCache });
  await verifier.hydrate();
  return (token) => verifier.verify(token);
}

function jose({ alg, issuer, jwksUri }) {
  const keys = createRemoteJWKSet(new URL(jwksUri));
  const options = { issuer, audience: AUDIENCE, algorithms: [alg] };
  return async (token) => (await jwtVerify(token, keys, options)).payload;
}

/** Contenders in table order; `floor` is the baseline of every ratio. */
export const CORE_CONTENDERS = [
  { name: 'node:crypto floor', tag: 'floor', create: floor },
  // Distinct tokens, taken in turn from a set larger than the cache, are admitted on their second
  // pass and evicted before their third: that row is what the cache costs on fresh tokens, and
  // "no cache" the verifier with it turned off.
  { name: 'bearerguard', tag: 'bearerguard', create: (ctx) => bearerguard(ctx) },
  {
    name: 'bearerguard (no cache)',
    tag: 'bearerguard-nocache',
    create: (ctx) => bearerguard(ctx, 0),
  },
  { name: 'fast-jwt', tag: 'fast-jwt', create: (ctx) => fastJwt(ctx, false) },
  { name: 'fast-jwt (cache)', tag: 'fast-jwt-cache', create: (ctx) => fastJwt(ctx, true) },
  { name: 'aws-jwt-verify', tag: 'aws-jwt-verify', create: awsJwtVerify },
  { name: 'jose', tag: 'jose', create: jose },
];
