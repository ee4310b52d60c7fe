import {
  createAbuseMonitor,
  createMemoryStore,
  createRevocationList,
  createVerifier,
  type BearerEvent,
  type RequestContext,
  type VerifierOptions,
} from '../src';
import { accessClaims, generateKey, signToken } from './support/tokens';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const key = generateKey('ES256', 'k1');

function setup(
  monitor: Parameters<typeof createAbuseMonitor>[0],
  extra: Partial<VerifierOptions> = {},
) {
  const clock = { now: 1_800_000_000_000 };
  const events: BearerEvent[] = [];
  const abuse = createAbuseMonitor({ now: () => clock.now, ...monitor });
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { keys: [key.jwk] },
    abuse,
    onEvent: (e) => events.push(e),
    now: () => clock.now,
    ...extra,
  });
  const token = (claims: Record<string, unknown> = {}) =>
    signToken(
      { alg: 'ES256', kid: 'k1' },
      { ...accessClaims(ISSUER, AUDIENCE, Math.floor(clock.now / 1000)), ...claims },
      key.privateKey,
    );
  const attempt = (jwt: string, ip = '203.0.113.7') =>
    verifier.verify(jwt, { ip, method: 'GET', path: '/v1/alerts' }).then(
      () => 'accepted',
      (err) => err.code as string,
    );
  return { clock, events, verifier, token, attempt };
}

const suspicions = (events: BearerEvent[]) => events.filter((e) => e.type === 'abuse.suspected');

describe('abuse monitor', () => {
  it('raises abuse.suspected once per window when a source crosses the threshold', async () => {
    const { events, attempt, token } = setup({ threshold: 3, windowSeconds: 60 });
    await attempt('garbage');
    await attempt(token({ exp: 1 }));
    expect(suspicions(events)).toHaveLength(0);
    await attempt(token({ aud: 'x' }));
    await attempt('garbage');
    expect(suspicions(events)).toHaveLength(1);
    expect(suspicions(events)[0]).toMatchObject({
      type: 'abuse.suspected',
      source: '203.0.113.7',
      count: 3,
      windowSeconds: 60,
      reasons: { malformed_token: 1, token_expired: 1, audience_mismatch: 1 },
      request: { ip: '203.0.113.7', method: 'GET', path: '/v1/alerts' },
    });
    expect(suspicions(events)[0]!.fingerprints).toHaveLength(3);
  });

  it('counts each source on its own and forgets attempts outside the window', async () => {
    const { events, attempt, clock } = setup({ threshold: 2, windowSeconds: 10 });
    await attempt('garbage', '198.51.100.1');
    await attempt('garbage', '198.51.100.2');
    clock.now += 11_000;
    await attempt('garbage', '198.51.100.1');
    expect(suspicions(events)).toHaveLength(0);
  });

  it('does not count successes, scope refusals or server faults', async () => {
    const { events, attempt, token } = setup({ threshold: 1, windowSeconds: 60 });
    expect(await attempt(token())).toBe('accepted');
    expect(suspicions(events)).toHaveLength(0);
  });

  it('blocks a source with 429 rate_limited and Retry-After until the block ends', async () => {
    const { attempt, token, clock, verifier } = setup({
      threshold: 2,
      windowSeconds: 60,
      blockSeconds: 30,
    });
    await attempt('garbage');
    await attempt('garbage');
    const blocked = await verifier.verify(token(), { ip: '203.0.113.7' }).catch((e) => e);
    expect(blocked).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 30 });
    expect(blocked.headers).toEqual({ 'Retry-After': '30' });
    expect(await attempt(token(), '198.51.100.9')).toBe('accepted');
    clock.now += 31_000;
    expect(await attempt(token())).toBe('accepted');
  });

  it('stays within its key bound however many sources an attacker uses', async () => {
    const store = createMemoryStore({ maxKeys: 100 });
    const { attempt } = setup({ threshold: 5, windowSeconds: 60, store });
    for (let i = 0; i < 2000; i++) await attempt('garbage', `10.0.${i >> 8}.${i & 255}`);
    let held = 0;
    for (let i = 0; i < 2000; i++) {
      if (
        (await store.expiresAt(`fail:10.0.${i >> 8}.${i & 255}`, 1_800_000_000_000)) !== undefined
      )
        held++;
    }
    expect(held).toBeLessThanOrEqual(100);
  });

  it('gives a key hook the request details as a plain object', async () => {
    const seen: unknown[] = [];
    const key = (request: RequestContext) => {
      seen.push({ ...request }, JSON.parse(JSON.stringify(request)));
      return request.userAgent;
    };
    const { verifier } = setup({ threshold: 5, windowSeconds: 60, key });
    const request = {
      headers: { authorization: 'Bearer garbage', 'user-agent': 'scanner/1.0' },
      ip: '203.0.113.7',
      method: 'GET',
      path: '/v1/alerts',
    };
    await expect(verifier.authenticate(request)).rejects.toMatchObject({ code: 'malformed_token' });
    const details = {
      ip: '203.0.113.7',
      method: 'GET',
      path: '/v1/alerts',
      userAgent: 'scanner/1.0',
    };
    expect(seen).toHaveLength(4); // check and record, each spread and written out
    for (const copy of seen) expect(copy).toEqual(details);
  });

  it('rejects a bad configuration with a TypeError', () => {
    expect(() => createAbuseMonitor({ threshold: 0, windowSeconds: 60 })).toThrow(TypeError);
    expect(() => createAbuseMonitor({ threshold: 5, windowSeconds: -1 })).toThrow(TypeError);
  });
});

describe('revocation', () => {
  it('refuses a revoked jti with token_revoked until the token would have expired', async () => {
    const clock = { now: 1_800_000_000_000 };
    const revocations = createRevocationList({ now: () => clock.now });
    const { attempt, token } = setup({ threshold: 100, windowSeconds: 60 }, { revocations });
    const jwt = token({ jti: 'abc' });
    expect(await attempt(jwt)).toBe('accepted');
    await revocations.revoke('abc', Math.floor(clock.now / 1000) + 300);
    expect(await attempt(jwt)).toBe('token_revoked');
    expect(await attempt(token({ jti: 'other' }))).toBe('accepted');
    clock.now += 301_000;
    expect(await revocations.isRevoked('abc')).toBe(false);
  });

  it('asks an isRevoked hook', async () => {
    const isRevoked = (claims: { sub?: string }) => claims.sub === 'stolen';
    const { attempt, token } = setup({ threshold: 100, windowSeconds: 60 }, { isRevoked });
    expect(await attempt(token({ sub: 'stolen' }))).toBe('token_revoked');
    expect(await attempt(token())).toBe('accepted');
  });
});
