import type { BearerEvent } from '@bearerguard/core';
import {
  ABUSE,
  IP,
  freshPrefix,
  startInstance,
  untilAvailable,
  type Instance,
} from './support/instances';
import { startRedisServer, stopAllRedisServers, type RedisServer } from './support/redis-server';
import { token } from './support/tokens';

let server: RedisServer;
const started: Instance[] = [];

/** Two API instances, each with its own Redis client, sharing one key prefix. */
async function twoInstances(): Promise<[Instance, Instance]> {
  const keyPrefix = freshPrefix();
  const pair: [Instance, Instance] = [
    startInstance(server.url, { keyPrefix }),
    startInstance(server.url, { keyPrefix }),
  ];
  started.push(...pair);
  await Promise.all(pair.map((instance) => untilAvailable(instance.store)));
  return pair;
}

const suspicions = (...instances: Instance[]): BearerEvent[] =>
  instances.flatMap((instance) => instance.events).filter((e) => e.type === 'abuse.suspected');

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.store.close()));
  await stopAllRedisServers();
});

describe('two instances sharing one Redis', () => {
  it('count refusals together and raise abuse.suspected once for the window', async () => {
    const [a, b] = await twoInstances();
    expect(await a.attempt('garbage')).toBe('malformed_token');
    expect(await b.attempt(token({ exp: 1 }))).toBe('token_expired');
    expect(suspicions(a, b)).toHaveLength(0);

    expect(await a.attempt(token({ aud: 'https://other.example.test' }))).toBe('audience_mismatch');
    expect(suspicions(a, b)).toHaveLength(1);
    expect(suspicions(a, b)[0]).toMatchObject({ source: IP, count: ABUSE.threshold });

    await b.attempt('garbage');
    expect(suspicions(a, b)).toHaveLength(1);
  });

  it('share counters through their abuse monitors', async () => {
    const [a, b] = await twoInstances();
    const request = { ip: IP, method: 'GET', path: '/v1/alerts' };
    expect(await a.abuse.record(request, 'malformed_token')).toBeUndefined();
    expect(await b.abuse.record(request, 'signature_invalid')).toBeUndefined();
    const crossed = await a.abuse.record(request, 'token_expired');
    expect(crossed).toMatchObject({ type: 'abuse.suspected', source: IP, count: 3 });
    expect(crossed!.reasons).toEqual({
      malformed_token: 1,
      signature_invalid: 1,
      token_expired: 1,
    });
    // Once per window, whichever instance sees the next refusal.
    expect(await b.abuse.record(request, 'malformed_token')).toBeUndefined();
  });

  it('both answer 429 rate_limited with a Retry-After once the source is blocked', async () => {
    const [a, b] = await twoInstances();
    const request = { ip: IP };
    await a.abuse.record(request, 'malformed_token');
    await b.abuse.record(request, 'malformed_token');
    await b.abuse.record(request, 'malformed_token');

    for (const instance of [a, b]) {
      const refusal = await instance.verifier.verify(token(), request).catch((error) => error);
      expect(refusal).toMatchObject({ code: 'rate_limited', status: 429 });
      expect(refusal.retryAfter).toBeGreaterThan(ABUSE.blockSeconds - 5);
      expect(refusal.retryAfter).toBeLessThanOrEqual(ABUSE.blockSeconds);
    }
    // Another source is not blocked.
    expect(await a.verifier.verify(token(), { ip: '198.51.100.9' })).toBeDefined();
  });

  it('see a token revoked on one instance as revoked on the other', async () => {
    const [a, b] = await twoInstances();
    const jti = `jti-${Math.random().toString(36).slice(2)}`;
    const jwt = token({ jti });
    expect(await b.attempt(jwt)).toBe('accepted');

    await a.revocations.revoke(jti, Math.floor(Date.now() / 1000) + 300);
    expect(await b.attempt(jwt)).toBe('token_revoked');
    expect(await a.attempt(jwt)).toBe('token_revoked');
    expect(await b.attempt(token())).toBe('accepted');
  });
});
