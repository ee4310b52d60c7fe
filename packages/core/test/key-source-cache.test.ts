// Caching that degrades gracefully: shared cold fetches, a cooldown for unknown kids, rotation,
// stale-if-error with back-off, and recovery. Cache ages run on a manual clock, not on sleeps.
import { createVerifier, type BearerEvent, type VerifierOptions } from '../src';
import {
  countingFetch,
  createSigningKey,
  jwksOf,
  manualClock,
  outcome,
  signAccessToken,
  startJwksServer,
  type JwksServer,
  type SigningKey,
} from './support/jwks-server';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const TIMEOUT_MS = 300;
const WITHIN_DEADLINE = TIMEOUT_MS + 1500;
const MAX_AGE = 10 * 60 * 1000;
const COOLDOWN = 30 * 1000;
const GRACE = 60 * 60 * 1000;

let server: JwksServer;
let keyA: SigningKey;
let keyB: SigningKey;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createSigningKey('ES256', 'key-a'), createSigningKey('RS256')]);
  server = await startJwksServer();
});

beforeEach(() => {
  server.setBehaviour({ kind: 'jwks' });
  server.setKeys(jwksOf(keyA));
});

afterAll(() => server.close());

function setup(jwks: VerifierOptions['jwks'] = {}) {
  const events: BearerEvent[] = [];
  const clock = manualClock();
  const fetch = countingFetch();
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: server.jwksUri,
    jwks: { timeoutMs: TIMEOUT_MS, fetch, ...jwks },
    now: clock.now,
    onEvent: (event) => events.push(event),
  });
  const sign = (key: SigningKey, kid?: string) =>
    signAccessToken(key, { iss: ISSUER, aud: AUDIENCE, nowMs: clock.now() }, { kid });
  const check = async (key: SigningKey, kid?: string) =>
    (await outcome(verifier.verify(await sign(key, kid)))).result;
  const ofType = (type: string) => events.filter((e) => e.type === type);
  return { verifier, events, clock, fetch, sign, check, ofType };
}

describe('a cold cache', () => {
  test('is filled by one fetch that 200 concurrent requests share', async () => {
    const { verifier, fetch, sign, ofType } = setup();
    const token = await sign(keyA);

    const results = await Promise.all(Array.from({ length: 200 }, () => verifier.verify(token)));

    expect(results).toHaveLength(200);
    expect(fetch.calls).toHaveLength(1);
    expect(server.count('/jwks.json')).toBeGreaterThanOrEqual(1);
    expect(ofType('keys.refreshed')).toEqual([
      expect.objectContaining({ issuer: ISSUER, jwksUri: server.jwksUri, keyCount: 1 }),
    ]);
  });

  test('answers 200 concurrent requests 503 within the deadline when the endpoint hangs', async () => {
    server.setBehaviour({ kind: 'hang' });
    const { verifier, fetch, sign } = setup();
    const token = await sign(keyA);

    const results = await Promise.all(
      Array.from({ length: 200 }, () => outcome(verifier.verify(token))),
    );

    expect(new Set(results.map((r) => r.result))).toEqual(new Set(['key_source_unavailable']));
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThanOrEqual(WITHIN_DEADLINE);
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('unknown kids', () => {
  const randomKids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());

  test('1000 random kids on a cold cache cause one fetch in all', async () => {
    const { fetch, check } = setup();

    const results = await Promise.all(randomKids(1000).map((kid) => check(keyA, kid)));

    expect(new Set(results)).toEqual(new Set(['key_not_found']));
    expect(fetch.calls).toHaveLength(1);
  });

  test('cause at most one refresh per cooldown, and none without a network call otherwise', async () => {
    const { clock, fetch, check } = setup();
    expect(await check(keyA)).toBe('verified');

    const started = performance.now();
    const within = await Promise.all(randomKids(1000).map((kid) => check(keyA, kid)));
    expect(new Set(within)).toEqual(new Set(['key_not_found']));
    expect(performance.now() - started).toBeLessThanOrEqual(WITHIN_DEADLINE);
    expect(fetch.calls).toHaveLength(1);

    clock.advance(COOLDOWN);
    const after = await Promise.all(randomKids(1000).map((kid) => check(keyA, kid)));
    expect(new Set(after)).toEqual(new Set(['key_not_found']));
    expect(fetch.calls).toHaveLength(2);

    clock.advance(COOLDOWN - 1);
    await Promise.all(randomKids(100).map((kid) => check(keyA, kid)));
    expect(fetch.calls).toHaveLength(2);
  });

  test('answer 503, not 401, while the endpoint is failing', async () => {
    const { clock, fetch, check } = setup();
    expect(await check(keyA)).toBe('verified');
    server.setBehaviour({ kind: 'body', status: 500, body: '{}' });

    clock.advance(COOLDOWN);
    expect(await check(keyB)).toBe('key_source_unavailable');
    expect(await check(keyB)).toBe('key_source_unavailable');
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);
  });
});

describe('rotation', () => {
  test('a new key is accepted after one refresh, a removed one stops after the cache age', async () => {
    const { clock, fetch, check } = setup();
    expect(await check(keyA)).toBe('verified');

    server.setKeys(jwksOf(keyA, keyB));
    clock.advance(COOLDOWN);
    expect(await check(keyB)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);

    server.setKeys(jwksOf(keyB));
    clock.advance(MAX_AGE / 2);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);

    clock.advance(MAX_AGE / 2);
    expect(await check(keyA)).toBe('key_not_found');
    expect(await check(keyB)).toBe('verified');
    expect(fetch.calls).toHaveLength(3);
  });

  test('keys are refreshed in the background ahead of their expiry', async () => {
    const { clock, fetch, check, ofType } = setup({ timeoutMs: 5000 });
    expect(await check(keyA)).toBe('verified');
    server.setKeys(jwksOf(keyB));

    // The refresh drips its body for a second or so: the request must not wait for it.
    clock.advance(MAX_AGE * 0.9);
    server.setBehaviour({ kind: 'drip', intervalMs: 2 });
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);
    expect(ofType('keys.refreshed')).toHaveLength(1);

    await waitFor(() => ofType('keys.refreshed').length === 2);
    expect(await check(keyA)).toBe('key_not_found');
    expect(await check(keyB)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);
  });
});

describe('stale-if-error', () => {
  test('a failed refresh keeps the last good keys for the grace period, backing off', async () => {
    const { verifier, clock, fetch, sign, check, ofType } = setup();
    expect(await check(keyA)).toBe('verified');
    server.setBehaviour({ kind: 'body', status: 503, body: 'down' });

    clock.advance(MAX_AGE);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);
    expect(ofType('keys.refresh_failed')).toEqual([
      expect.objectContaining({ error: 'http_status', keyCount: 1, stale: true }),
    ]);
    expect(verifier.health()[0]).toMatchObject({ keyCount: 1, stale: true });
    expect(verifier.health()[0]?.lastError).toEqual(expect.any(String));

    // Back-off: 1 s, then 2 s, between attempts.
    clock.advance(999);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);
    clock.advance(1);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(3);
    clock.advance(1999);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(3);

    clock.advance(GRACE);
    const result = await outcome(verifier.verify(await sign(keyA)));
    expect(result).toMatchObject({ result: 'key_source_unavailable', status: 503 });
    expect(fetch.calls).toHaveLength(4);
  });

  test('an empty refresh keeps the last good keys', async () => {
    const { clock, check, ofType } = setup();
    expect(await check(keyA)).toBe('verified');
    server.setKeys({ keys: [] });

    clock.advance(MAX_AGE);
    expect(await check(keyA)).toBe('verified');
    expect(ofType('keys.refresh_failed')).toEqual([
      expect.objectContaining({ error: 'no_usable_keys', keyCount: 1 }),
    ]);
  });

  test('with a zero grace period, expired keys are not served', async () => {
    const { clock, check } = setup({ staleIfErrorMs: 0 });
    expect(await check(keyA)).toBe('verified');
    server.setBehaviour({ kind: 'hang' });

    clock.advance(MAX_AGE);
    expect(await check(keyA)).toBe('key_source_unavailable');
  });
});

describe('recovery and start-up', () => {
  test('ready() resolves with the endpoint down, and requests recover once it is up', async () => {
    await server.refuse();
    const { verifier, clock, fetch, check, ofType } = setup();
    const source = { issuer: ISSUER, jwksUri: server.jwksUri };
    try {
      const started = performance.now();
      await expect(verifier.ready()).resolves.toBeUndefined();
      expect(performance.now() - started).toBeLessThanOrEqual(WITHIN_DEADLINE);
      expect(verifier.health()).toEqual([
        {
          ...source,
          keyCount: 0,
          lastRefresh: undefined,
          lastError: expect.any(String),
          stale: true,
        },
      ]);
      expect(await check(keyA)).toBe('key_source_unavailable');
      expect(fetch.calls).toHaveLength(1);
    } finally {
      await server.resume();
    }

    clock.advance(1000);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(2);
    const time = new Date(clock.now()).toISOString();
    expect(verifier.health()).toEqual([
      { ...source, keyCount: 1, lastRefresh: time, lastError: undefined, stale: false },
    ]);
    expect(ofType('keys.refresh_failed')).toEqual([
      {
        type: 'keys.refresh_failed',
        time: expect.any(String),
        message: expect.any(String),
        ...source,
        error: 'network',
        keyCount: 0,
        stale: true,
      },
    ]);
    expect(ofType('keys.refreshed')).toEqual([
      { type: 'keys.refreshed', time, message: expect.any(String), ...source, keyCount: 1 },
    ]);
  });

  test('ready() warms the cache, so the first request makes no fetch', async () => {
    const { verifier, fetch, check } = setup();
    await verifier.ready();
    expect(fetch.calls).toHaveLength(1);
    expect(await check(keyA)).toBe('verified');
    expect(fetch.calls).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
