import {
  BearerError,
  createAbuseMonitor,
  createMemoryStore,
  createRevocationList,
  createVerifier,
  type AbuseMonitor,
  type BearerEvent,
  type BearerStore,
  type RequestContext,
  type Verifier,
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

  it('takes an async key hook', async () => {
    const key = async (request: RequestContext) => `tenant-of-${request.ip}`;
    const { attempt, events, token } = setup({
      threshold: 2,
      windowSeconds: 60,
      blockSeconds: 60,
      key,
    });
    await attempt('garbage');
    await attempt('garbage');
    expect(suspicions(events)[0]).toMatchObject({ source: 'tenant-of-203.0.113.7', count: 2 });
    expect(await attempt(token())).toBe('rate_limited');
  });

  it('gives a key hook the request details as a plain object', async () => {
    const seen: unknown[] = [];
    const key = (request: RequestContext) => {
      seen.push({ ...request }, JSON.parse(JSON.stringify(request)));
      return request.userAgent;
    };
    const { verifier } = setup({ threshold: 5, windowSeconds: 60, blockSeconds: 60, key });
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

  describe('fails open when its key hook or store fails', () => {
    const request = (authorization?: string) => ({
      headers: authorization ? { authorization } : {},
      ip: '203.0.113.7',
      method: 'GET',
      path: '/v1/alerts',
    });
    const outcome = (verifier: Verifier, authorization?: string) =>
      verifier.authenticate(request(authorization)).then(
        (auth) => `accepted ${auth.subject}`,
        (err) => `${err.status} ${err.code}`,
      );

    it.each([
      ['a key hook that throws', { key: () => failWith('key hook bug') }, 'key hook bug'],
      [
        'a key hook that returns an object',
        { key: () => ({ user: 'x' }) as never },
        "bearerguard: the abuse monitor's key() must return a string or undefined, not a object",
      ],
      ['a store that rejects', { store: brokenStore() }, 'store down'],
    ])('%s: a good token is accepted, a bad one refused as such', async (_, broken, why) => {
      const errors: Error[] = [];
      const monitor = { threshold: 1, windowSeconds: 60, blockSeconds: 60, ...broken };
      const { verifier, token, events } = setup({ ...monitor, onError: (e) => errors.push(e) });
      expect(await outcome(verifier, `Bearer ${token()}`)).toBe('accepted client-1');
      expect(await outcome(verifier)).toBe('401 missing_token');
      expect(await outcome(verifier, 'Bearer garbage')).toBe('401 malformed_token');
      expect(await outcome(verifier, `Bearer ${token()}`)).toBe('accepted client-1');
      expect(suspicions(events)).toHaveLength(0);
      // Each request asked the monitor once or twice (check, then record for a refusal).
      expect(errors.length).toBeGreaterThanOrEqual(4);
      for (const error of errors) expect(error).toEqual(expect.objectContaining({ message: why }));
    });

    it('fails open for an async key hook that rejects, and an async onError that rejects', async () => {
      const errors: string[] = [];
      const { verifier, token } = setup({
        threshold: 1,
        windowSeconds: 60,
        blockSeconds: 60,
        key: async () => failWith('lookup failed'),
        onError: async (e) => {
          errors.push(e.message);
          throw new Error('onError bug');
        },
      });
      expect(await outcome(verifier, `Bearer ${token()}`)).toBe('accepted client-1');
      expect(await outcome(verifier, 'Bearer garbage')).toBe('401 malformed_token');
      expect(errors).toEqual(['lookup failed', 'lookup failed', 'lookup failed']);
      await new Promise((resolve) => setImmediate(resolve)); // Jest fails unhandled rejections
    });

    it('says why a key hook result is refused', async () => {
      const errors: Error[] = [];
      const key = () => 42 as never;
      const { attempt } = setup({
        threshold: 1,
        windowSeconds: 60,
        key,
        onError: (e) => errors.push(e),
      });
      expect(await attempt('garbage')).toBe('malformed_token');
      expect(errors.map((e) => e.message)).toEqual([
        "bearerguard: the abuse monitor's key() must return a string or undefined, not a number",
      ]);
    });

    it('warns once by default, and a throwing onError changes nothing', async () => {
      // Jest's sandbox does not pass process warnings to listeners, so the call itself is watched.
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const { attempt, token } = setup({ threshold: 1, windowSeconds: 60, store: brokenStore() });
        expect(await attempt('garbage')).toBe('malformed_token');
        expect(await attempt('garbage')).toBe('malformed_token');
        expect(warn.mock.calls).toEqual([
          [
            'bearerguard: the abuse monitor failed and lets requests through (store down); ' +
              'give it onError to hear every failure',
            { code: 'BEARERGUARD_FAIL_OPEN' },
          ],
        ]);
        const onError = () => failWith('onError bug');
        const loud = setup({ threshold: 1, windowSeconds: 60, store: brokenStore(), onError });
        expect(await loud.attempt(loud.token())).toBe('accepted');
        expect(await attempt(token())).toBe('accepted');
      } finally {
        warn.mockRestore();
      }
    });

    it('lets a request through when a custom monitor fails, not when it refuses', async () => {
      const { token, clock } = setup({ threshold: 1, windowSeconds: 60 });
      const keys = { keys: [key.jwk] };
      const now = () => clock.now;
      const verifier = (abuse: AbuseMonitor) =>
        createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys, abuse, now });
      const broken: AbuseMonitor = {
        check: () => Promise.reject(new Error('down')),
        record: () => Promise.reject(new Error('down')),
      };
      expect(await outcome(verifier(broken), `Bearer ${token()}`)).toBe('accepted client-1');
      expect(await outcome(verifier(broken), 'Bearer garbage')).toBe('401 malformed_token');
      const blocking: AbuseMonitor = {
        check: () => Promise.reject(new BearerError('rate_limited', { retryAfter: 5 })),
        record: () => Promise.resolve(undefined),
      };
      expect(await outcome(verifier(blocking), `Bearer ${token()}`)).toBe('429 rate_limited');
    });
  });

  it('rejects a bad configuration with a TypeError', () => {
    expect(() => createAbuseMonitor({ threshold: 0, windowSeconds: 60 })).toThrow(TypeError);
    expect(() => createAbuseMonitor({ threshold: 5, windowSeconds: -1 })).toThrow(TypeError);
    const key = 'ip' as never;
    expect(() => createAbuseMonitor({ threshold: 5, windowSeconds: 60, key })).toThrow(TypeError);
    const onError = true as never;
    expect(() => createAbuseMonitor({ threshold: 5, windowSeconds: 60, onError })).toThrow(
      TypeError,
    );
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

  it('fails open, as the Redis store does, when its store fails', async () => {
    const errors: Error[] = [];
    const revocations = createRevocationList({
      store: brokenStore(),
      onError: (e) => errors.push(e),
    });
    const { attempt, token } = setup({ threshold: 100, windowSeconds: 60 }, { revocations });
    expect(await attempt(token({ jti: 'abc' }))).toBe('accepted');
    expect(errors.map((e) => e.message)).toEqual(['store down']);
    await expect(revocations.revoke('abc', 1_900_000_000)).rejects.toThrow('store down');
  });

  it.each([
    ['a custom revocation list', { revocations: { revoke: down, isRevoked: down } }],
    ['an isRevoked hook', { isRevoked: down }],
  ])('fails closed when %s throws', async (_, hooks) => {
    const { verifier, token } = setup({ threshold: 100, windowSeconds: 60 }, hooks);
    await expect(verifier.verify(token({ jti: 'abc' }))).rejects.toMatchObject({
      code: 'claim_invalid',
      status: 401,
      description: 'The token could not be checked for revocation',
    });
  });

  it('asks an isRevoked hook', async () => {
    const isRevoked = (claims: { sub?: string }) => claims.sub === 'stolen';
    const { attempt, token } = setup({ threshold: 100, windowSeconds: 60 }, { isRevoked });
    expect(await attempt(token({ sub: 'stolen' }))).toBe('token_revoked');
    expect(await attempt(token())).toBe('accepted');
  });
});

function failWith(message: string): never {
  throw new Error(message);
}

function down(): Promise<never> {
  return Promise.reject(new Error('store down'));
}

/** A store whose every call fails, as a custom store with a lost backend might. */
function brokenStore(): BearerStore {
  return { addToWindow: down, setIfAbsent: down, put: down, expiresAt: down };
}
