// JWKS fetches: how many requests reach the key endpoint (a) when a cold verifier meets a burst
// of concurrent requests, and (b) when a warm one meets a flood of tokens with random unknown
// kids. Each verifier has its own JWKS URL, so that its fetches are counted apart.
import { createVerifier } from '@bearerguard/core';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { expressjwt } from 'express-jwt';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import jwksRsa from 'jwks-rsa';
import { mapLimit } from '../stats.mjs';
import { AUDIENCE, forgeUnknownKids } from '../tokens.mjs';

const ALG = 'RS256';
const COLD_REQUESTS = 200;
const FLOOD_TOKENS = 1000;
const FLOOD_CONCURRENCY = 50;
// Background refreshes started by the flood are counted if they start within this time.
const SETTLE_MS = 200;

function bearerguard({ issuer, jwksUri }) {
  const verifier = createVerifier({ issuer, audience: AUDIENCE, jwksUri, algorithms: [ALG] });
  return (token) => verifier.verify(token);
}

// express-jwt's documented setup, driven as Express would drive the middleware.
function expressJwt({ issuer, jwksUri }) {
  const secret = jwksRsa.expressJwtSecret({
    jwksUri,
    cache: true,
    rateLimit: true,
    jwksRequestsPerMinute: 5,
  });
  const middleware = expressjwt({ secret, issuer, audience: AUDIENCE, algorithms: [ALG] });
  return (token) =>
    new Promise((resolve, reject) => {
      const req = { method: 'GET', headers: { authorization: `Bearer ${token}` } };
      middleware(req, {}, (err) => (err ? reject(err) : resolve(req.auth)));
    });
}

function jose({ issuer, jwksUri }) {
  const keys = createRemoteJWKSet(new URL(jwksUri));
  return (token) => jwtVerify(token, keys, { issuer, audience: AUDIENCE, algorithms: [ALG] });
}

function awsJwtVerify({ issuer, jwksUri }) {
  const fetcher = { fetch: async (uri) => (await fetch(uri)).arrayBuffer() };
  const jwksCache = new SimpleJwksCache({ fetcher });
  const verifier = JwtVerifier.create({ issuer, audience: AUDIENCE, jwksUri }, { jwksCache });
  return (token) => verifier.verify(token);
}

const JWKS_CONTENDERS = [
  { name: 'bearerguard', tag: 'bearerguard', create: bearerguard },
  { name: 'express-jwt + jwks-rsa', tag: 'jwks-rsa', create: expressJwt },
  { name: 'jose createRemoteJWKSet', tag: 'jose', create: jose },
  { name: 'aws-jwt-verify', tag: 'aws-jwt-verify', create: awsJwtVerify },
];

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/**
 * Verifies `tokens`, at most `limit` at once, for at most `deadlineMs`: tokens not answered by
 * then count as pending (some rate limiters queue requests for minutes rather than refuse them).
 */
async function verdicts(verify, tokens, limit, deadlineMs) {
  const counts = { accepted: 0, refused: 0, pending: 0 };
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, deadlineMs, 'pending');
  });
  await mapLimit(tokens, limit, async (token) => {
    const outcome = Promise.resolve(token)
      .then(verify)
      .then(
        () => 'accepted',
        () => 'refused',
      );
    counts[await Promise.race([outcome, deadline])] += 1;
  });
  clearTimeout(timer);
  return counts;
}

/** A cold verifier, `COLD_REQUESTS` good tokens at once: how many fetches, how many accepted. */
async function coldStart(contender, set, jwks, deadlineMs) {
  const tag = `cold-${contender.tag}`;
  const verify = contender.create({ issuer: jwks.issuer, jwksUri: jwks.jwksUri(ALG, tag) });
  const tokens = set.distinct.slice(0, COLD_REQUESTS);
  const counts = await verdicts(verify, tokens, COLD_REQUESTS, deadlineMs);
  await settle();
  return { fetches: jwks.count(ALG, tag), requests: tokens.length, ...counts };
}

/** A warm verifier, then `FLOOD_TOKENS` tokens with random kids: fetches caused by the flood. */
async function flood(contender, set, jwks, deadlineMs) {
  const tag = `flood-${contender.tag}`;
  const verify = contender.create({ issuer: jwks.issuer, jwksUri: jwks.jwksUri(ALG, tag) });
  await verify(set.repeated);
  const before = jwks.count(ALG, tag);
  const forged = forgeUnknownKids(set.repeated, FLOOD_TOKENS);
  const started = performance.now();
  const counts = await verdicts(verify, forged, FLOOD_CONCURRENCY, deadlineMs);
  const ms = performance.now() - started;
  await settle();
  return { fetches: jwks.count(ALG, tag) - before, requests: FLOOD_TOKENS, ms, ...counts };
}

/** Runs both JWKS scenarios for each library; returns one row per library. */
export async function runJwks({ tokenSets, jwks, settings, log }) {
  const deadlineMs = settings.jwksDeadlineS * 1000;
  const set = tokenSets[ALG];
  const rows = [];
  for (const contender of JWKS_CONTENDERS) {
    const row = { contender: contender.name };
    try {
      row.cold = await coldStart(contender, set, jwks, deadlineMs);
      row.flood = await flood(contender, set, jwks, deadlineMs);
      row.status = 'ok';
    } catch (err) {
      row.status = 'broken';
      row.error = err.message;
    }
    log(`  jwks ${contender.name}: ${row.status}`);
    rows.push(row);
  }
  return rows;
}

export const JWKS_SCENARIO = { alg: ALG, COLD_REQUESTS, FLOOD_TOKENS, FLOOD_CONCURRENCY };
