// Retrieval under hard limits: whatever the JWKS endpoint does, a verification answers within
// the fetch deadline, and a server fault is a 503, never a 401.
import { createVerifier, type BearerEvent, type VerifierOptions } from '../src';
import {
  countingFetch,
  createSigningKey,
  jwksOf,
  manualClock,
  outcome,
  signAccessToken,
  startJwksServer,
  type Behaviour,
  type JwksServer,
  type SigningKey,
} from './support/jwks-server';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const TIMEOUT_MS = 300;
// A bound on hanging, not a performance target: generous, so that a loaded machine never flakes.
const WITHIN_DEADLINE = TIMEOUT_MS + 1500;

let server: JwksServer;
let key: SigningKey;

beforeAll(async () => {
  key = await createSigningKey();
  server = await startJwksServer();
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
  const token = signAccessToken(key, { iss: ISSUER, aud: AUDIENCE, nowMs: clock.now() });
  return { verifier, events, clock, fetch, token };
}

const body = (value: unknown): Behaviour => ({ kind: 'body', body: JSON.stringify(value) });

describe('an endpoint that fails is a 503 within the deadline, fetched once', () => {
  const encOnly = async () => ({ keys: [{ ...key.jwk, use: 'enc' }] });
  const cases: [string, () => Promise<Behaviour> | Behaviour, string][] = [
    ['accepts but never answers', () => ({ kind: 'hang' }), 'timeout'],
    ['drips its body slowly', () => ({ kind: 'drip', intervalMs: 50 }), 'timeout'],
    ['answers 500', () => ({ kind: 'body', status: 500, body: '{}' }), 'http_status'],
    ['answers 404', () => ({ kind: 'body', status: 404, body: 'Not Found' }), 'http_status'],
    [
      'answers HTML',
      () => ({ kind: 'body', body: '<html></html>', type: 'text/html' }),
      'not_json',
    ],
    ['answers truncated JSON', () => ({ kind: 'body', body: '{"keys":[{"kty":"EC"' }), 'not_json'],
    ['answers a JSON array', () => body([key.jwk]), 'bad_document'],
    ['answers {}', () => body({}), 'bad_document'],
    ['answers a keys member that is not an array', () => body({ keys: key.jwk }), 'bad_document'],
    ['answers {"keys": []}', () => body({ keys: [] }), 'no_usable_keys'],
    ['answers only use: enc keys', async () => body(await encOnly()), 'no_usable_keys'],
    ['answers a redirect loop', () => ({ kind: 'redirect-loop' }), 'redirect'],
    [
      'declares a body over the cap',
      () => body({ keys: [], pad: 'x'.repeat(300_000) }),
      'too_large',
    ],
  ];

  test.each(cases)('when it %s', async (_name, behaviour, error) => {
    server.setBehaviour(await behaviour());
    const { verifier, events, fetch, token } = setup();

    const first = await outcome(verifier.verify(await token));

    expect(first).toMatchObject({ result: 'key_source_unavailable', status: 503 });
    expect(first.ms).toBeLessThanOrEqual(WITHIN_DEADLINE);
    expect(fetch.calls).toEqual([server.jwksUri]);
    expect(events.filter((e) => e.type === 'keys.refresh_failed')).toEqual([
      expect.objectContaining({ issuer: ISSUER, jwksUri: server.jwksUri, error, keyCount: 0 }),
    ]);

    // Backing off: the next request is answered at once, without a fetch.
    const second = await outcome(verifier.verify(await token));
    expect(second.result).toBe('key_source_unavailable');
    expect(second.ms).toBeLessThan(TIMEOUT_MS);
    expect(fetch.calls).toHaveLength(1);
  });

  test('when it refuses connections', async () => {
    await server.refuse();
    try {
      const { verifier, events, fetch, token } = setup();

      const result = await outcome(verifier.verify(await token));

      expect(result).toMatchObject({ result: 'key_source_unavailable', status: 503 });
      expect(result.ms).toBeLessThanOrEqual(WITHIN_DEADLINE);
      expect(fetch.calls).toHaveLength(1);
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'keys.refresh_failed', error: 'network' }),
      );
    } finally {
      await server.resume();
    }
  });

  test('when it streams tens of MB, reading stops at the cap and the connection is closed', async () => {
    server.setBehaviour({ kind: 'oversize', bytes: 30 * 1024 * 1024 });
    const { verifier, events, fetch, token } = setup({ timeoutMs: 5000 });
    const cutBefore = server.cutOff.responses;

    const result = await outcome(verifier.verify(await token));

    expect(result).toMatchObject({ result: 'key_source_unavailable', status: 503 });
    expect(result.ms).toBeLessThanOrEqual(5000 + 1500);
    expect(fetch.calls).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'keys.refresh_failed', error: 'too_large' }),
    );
    await server.waitForCutOff(cutBefore + 1);
    expect(server.cutOff.bytesSent).toBeLessThan(30 * 1024 * 1024);
  });
});

describe('the injected fetch', () => {
  test('is bounded by the deadline even when it ignores its abort signal', async () => {
    const stuck = countingFetch(() => new Promise<Response>(() => undefined));
    const { verifier, token } = setup({ fetch: stuck });

    const result = await outcome(verifier.verify(await token));

    expect(result.result).toBe('key_source_unavailable');
    expect(result.ms).toBeLessThanOrEqual(WITHIN_DEADLINE);
    expect(stuck.calls).toHaveLength(1);
  });

  test('that follows redirects anyway still has its redirected answer refused', async () => {
    server.setBehaviour({ kind: 'jwks' });
    server.setKeys(jwksOf(key));
    const redirected = countingFetch(async (input) => {
      const res = await fetch(input);
      Object.defineProperty(res, 'redirected', { value: true });
      return res;
    });
    const { verifier, events, token } = setup({ fetch: redirected });

    expect((await outcome(verifier.verify(await token))).result).toBe('key_source_unavailable');
    expect(events).toContainEqual(expect.objectContaining({ error: 'redirect' }));
  });
});

describe('plain http', () => {
  const uri = 'http://keys.example.test/jwks.json';

  test('to a host other than loopback is a configuration error', () => {
    expect(() =>
      createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: uri, jwks: { fetch } }),
    ).toThrow(TypeError);
  });

  test('is fetched when the user allows it', async () => {
    const served = countingFetch(async () => Response.json(jwksOf(key)));
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: uri,
      jwks: { fetch: served, allowInsecureHttp: true },
    });

    const result = await outcome(
      verifier.verify(await signAccessToken(key, { iss: ISSUER, aud: AUDIENCE })),
    );

    expect(result.result).toBe('verified');
    expect(served.calls).toEqual([uri]);
  });
});

describe('a hostile JWKS', () => {
  test('cannot pollute prototypes through __proto__ members', async () => {
    const hostile =
      `{"__proto__":{"polluted":true},"keys":[` +
      `{"__proto__":{"use":"enc","polluted":true},` +
      JSON.stringify(key.jwk).slice(1) +
      `]}`;
    server.setBehaviour({ kind: 'body', body: hostile });
    const { verifier, fetch, token } = setup();

    expect((await outcome(verifier.verify(await token))).result).toBe('verified');
    expect(fetch.calls).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('with thousands of keys has only the first maxKeys imported, quickly', async () => {
    const junk = Array.from({ length: 5000 }, (_, i) => ({
      kid: `junk-${i}`,
      kty: 'oct',
      k: 'AA',
    }));
    server.setBehaviour(body({ keys: [key.jwk, ...junk, { ...key.jwk, kid: 'late' }] }));
    const { verifier, fetch, token } = setup();
    const late = signAccessToken(key, { iss: ISSUER, aud: AUDIENCE }, { kid: 'late' });

    const result = await outcome(verifier.verify(await token));

    expect(result.result).toBe('verified');
    expect(result.ms).toBeLessThanOrEqual(WITHIN_DEADLINE);
    expect(verifier.health()[0]?.keyCount).toBe(1);
    expect((await outcome(verifier.verify(await late))).result).toBe('key_not_found');
    expect(fetch.calls).toHaveLength(1);
  });
});
