// The key source through Express: a JWKS outage is a 503 (no challenge, no 401), and the API
// recovers on its own once the endpoint answers again.
import express from 'express';
import request from 'supertest';
import { bearerErrorHandler, createVerifier, requireBearer } from '../src';
import {
  createSigningKey,
  jwksOf,
  manualClock,
  signAccessToken,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from '../../core/test/support/jwks-server';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const TIMEOUT_MS = 300;

let server: JwksServer;
let key: SigningKey;

beforeAll(async () => {
  key = await createSigningKey();
  server = await startJwksServer();
  server.setKeys(jwksOf(key));
});

afterAll(() => server.close());

function app() {
  const clock = manualClock();
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: server.jwksUri,
    jwks: { timeoutMs: TIMEOUT_MS },
    now: clock.now,
  });
  const api = express();
  api.use(requireBearer(verifier));
  api.get('/me', (req, res) => res.json({ subject: req.auth?.subject }));
  api.use(bearerErrorHandler());
  const token = signAccessToken(key, { iss: ISSUER, aud: AUDIENCE, nowMs: clock.now() });
  return { api, clock, verifier, token };
}

test('answers 503 within the deadline while the JWKS endpoint hangs, then recovers', async () => {
  server.setBehaviour({ kind: 'hang' });
  const { api, clock, token } = app();
  const auth = `Bearer ${await token}`;

  const started = performance.now();
  const down = await request(api).get('/me').set('authorization', auth);

  expect(performance.now() - started).toBeLessThanOrEqual(TIMEOUT_MS + 1500);
  expect(down.status).toBe(503);
  expect(down.headers['www-authenticate']).toBeUndefined();
  expect(down.body).toMatchObject({ reason: 'key_source_unavailable' });
  expect(server.count('/jwks.json')).toBe(1);

  server.setBehaviour({ kind: 'jwks' });
  clock.advance(1000);
  const up = await request(api).get('/me').set('authorization', auth);

  expect(up.status).toBe(200);
  expect(up.body).toEqual({ subject: 'test-client' });
  expect(server.count('/jwks.json')).toBe(2);
});

test('starts with the endpoint down, and serves once it is up', async () => {
  await server.refuse();
  const { api, clock, verifier, token } = app();
  const auth = `Bearer ${await token}`;
  try {
    await verifier.ready();
    const down = await request(api).get('/me').set('authorization', auth);
    expect(down.status).toBe(503);
  } finally {
    await server.resume();
  }

  clock.advance(1000);
  const up = await request(api).get('/me').set('authorization', auth);
  expect(up.status).toBe(200);
});

// Every fault of the endpoint, as a client of the API sees it: a 503 within the deadline, one
// fetch, and no second fetch for the next request (the source backs off).
type Behaviour = Parameters<JwksServer['setBehaviour']>[0];
const FAULTS: [string, () => Behaviour][] = [
  ['never answers', () => ({ kind: 'hang' })],
  ['drips its body', () => ({ kind: 'drip', intervalMs: 200 })],
  ['answers 500', () => ({ kind: 'body', body: 'oops', status: 500, type: 'text/plain' })],
  ['answers 404', () => ({ kind: 'body', body: 'not here', status: 404, type: 'text/plain' })],
  ['answers HTML', () => ({ kind: 'body', body: '<html>login</html>', type: 'text/html' })],
  ['answers truncated JSON', () => ({ kind: 'body', body: '{"keys": [{"kty"' })],
  ['answers {}', () => ({ kind: 'body', body: '{}' })],
  ['answers an empty key set', () => ({ kind: 'body', body: '{"keys": []}' })],
  [
    'answers only encryption keys',
    () => ({ kind: 'body', body: JSON.stringify({ keys: [{ ...key.jwk, use: 'enc' }] }) }),
  ],
  ['answers 30 MB', () => ({ kind: 'oversize', bytes: 30 * 1024 * 1024 })],
  ['redirects to itself', () => ({ kind: 'redirect-loop' })],
];

test.each(FAULTS)('answers 503 when the JWKS endpoint %s', async (_name, behaviour) => {
  server.setBehaviour(behaviour());
  const before = server.count('/jwks.json');
  try {
    const { api, token } = app();
    const auth = `Bearer ${await token}`;
    const started = performance.now();
    const res = await request(api).get('/me').set('authorization', auth);
    expect(performance.now() - started).toBeLessThanOrEqual(TIMEOUT_MS + 1500);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'key_source_unavailable',
      error_description: 'The token signing keys are temporarily unavailable',
      reason: 'key_source_unavailable',
    });
    const again = await request(api).get('/me').set('authorization', auth);
    expect(again.status).toBe(503);
    expect(server.count('/jwks.json') - before).toBe(1);
  } finally {
    server.setBehaviour({ kind: 'jwks' });
  }
});
