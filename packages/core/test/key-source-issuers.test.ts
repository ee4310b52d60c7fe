// Discovery of the JWKS from the issuer's metadata, under the same limits as the JWKS itself, and
// several trusted issuers, each with its own key source, chosen by the token's iss.
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

const AUDIENCE = 'https://api.example.test';
const TIMEOUT_MS = 300;
const WITHIN_DEADLINE = TIMEOUT_MS + 1500;
const OIDC = (path: string) => `${path}/.well-known/openid-configuration`;
const RFC8414 = (path: string) => `/.well-known/oauth-authorization-server${path}`;

let server: JwksServer;
let keyA: SigningKey;
let keyB: SigningKey;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createSigningKey(), createSigningKey()]);
  server = await startJwksServer();
  server.setKeys(jwksOf(keyA));
});

afterAll(() => server.close());

function setup(issuer: string | string[], jwks: VerifierOptions['jwks'] = {}) {
  const events: BearerEvent[] = [];
  const clock = manualClock();
  const fetch = countingFetch();
  const verifier = createVerifier({
    issuer,
    audience: AUDIENCE,
    jwks: { timeoutMs: TIMEOUT_MS, fetch, ...jwks },
    now: clock.now,
    onEvent: (event) => events.push(event),
  });
  const check = async (key: SigningKey, iss: string) =>
    outcome(
      verifier.verify(await signAccessToken(key, { iss, aud: AUDIENCE, nowMs: clock.now() })),
    );
  const paths = () => fetch.calls.map((url) => new URL(url).pathname);
  return { verifier, events, clock, fetch, check, paths };
}

describe('discovery', () => {
  test('finds the JWKS from the OpenID configuration, once', async () => {
    const issuer = server.serveDiscovery('/oidc');
    const { verifier, check, paths } = setup(issuer);

    expect((await check(keyA, issuer)).result).toBe('verified');
    expect((await check(keyA, issuer)).result).toBe('verified');

    expect(paths()).toEqual([OIDC('/oidc'), '/jwks.json']);
    expect(verifier.health()[0]?.jwksUri).toBe(server.jwksUri);
  });

  test('falls back on RFC 8414 metadata when there is no OpenID configuration', async () => {
    const issuer = server.serveDiscovery('/as', { oauth: true });
    const { check, paths } = setup(issuer);

    expect((await check(keyA, issuer)).result).toBe('verified');
    expect(paths()).toEqual([OIDC('/as'), RFC8414('/as'), '/jwks.json']);
  });

  test('refuses metadata that names another issuer', async () => {
    const issuer = `${server.url}/impostor`;
    server.setBehaviour(
      { kind: 'body', body: JSON.stringify({ issuer: server.url, jwks_uri: server.jwksUri }) },
      OIDC('/impostor'),
    );
    const { events, check, paths } = setup(issuer);

    expect(await check(keyA, issuer)).toMatchObject({ result: 'key_source_unavailable' });
    expect(paths()).not.toContain('/jwks.json');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'keys.refresh_failed', issuer, error: 'issuer_mismatch' }),
    );
  });

  test('does not wait out a second deadline on the fallback when the host hangs', async () => {
    const issuer = `${server.url}/slow`;
    server.setBehaviour({ kind: 'hang' }, OIDC('/slow'));
    const { check, paths } = setup(issuer);

    const result = await check(keyA, issuer);

    expect(result).toMatchObject({ result: 'key_source_unavailable', status: 503 });
    expect(result.ms).toBeLessThanOrEqual(WITHIN_DEADLINE);
    expect(paths()).toEqual([OIDC('/slow')]);
  });

  test('follows no redirect', async () => {
    const issuer = `${server.url}/moved`;
    server.setBehaviour({ kind: 'redirect-loop' }, OIDC('/moved'));
    server.setBehaviour({ kind: 'redirect-loop' }, RFC8414('/moved'));
    const { events, check } = setup(issuer);

    expect((await check(keyA, issuer)).result).toBe('key_source_unavailable');
    expect(server.count(OIDC('/moved'))).toBe(1);
    expect(server.count(RFC8414('/moved'))).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ error: 'redirect' }));
  });

  test('refuses a discovered jwks_uri over plain http to another host, without fetching it', async () => {
    const issuer = server.serveDiscovery('/plain', { jwksUri: 'http://keys.example.test/jwks' });
    const { events, check, fetch } = setup(issuer);

    expect((await check(keyA, issuer)).result).toBe('key_source_unavailable');
    expect(fetch.calls).not.toContain('http://keys.example.test/jwks');
    expect(events).toContainEqual(expect.objectContaining({ error: 'insecure_url' }));
  });

  test('of an issuer over plain http to another host is a configuration error', () => {
    expect(() => setup('http://issuer.example.test')).toThrow(TypeError);
  });
});

describe('several issuers', () => {
  let tenantA: string;
  let tenantB: string;

  beforeAll(() => {
    server.setBehaviour({ kind: 'body', body: JSON.stringify(jwksOf(keyB)) }, '/b/jwks.json');
    tenantA = server.serveDiscovery('/tenant-a');
    tenantB = server.serveDiscovery('/tenant-b', { jwksUri: `${server.url}/b/jwks.json` });
  });

  test("each has its own key source, chosen by the token's iss", async () => {
    const { verifier, check, paths } = setup([tenantA, tenantB]);

    expect((await check(keyA, tenantA)).result).toBe('verified');
    expect((await check(keyB, tenantB)).result).toBe('verified');
    // Another tenant's key does not verify this tenant's tokens, and costs no fetch.
    expect((await check(keyA, tenantB)).result).toBe('key_not_found');

    expect(paths().sort()).toEqual(
      [OIDC('/tenant-a'), '/jwks.json', OIDC('/tenant-b'), '/b/jwks.json'].sort(),
    );
    expect(verifier.health().map((h) => [h.issuer, h.keyCount])).toEqual([
      [tenantA, 1],
      [tenantB, 1],
    ]);
  });

  test('an unknown issuer is refused without a network call', async () => {
    const { check, fetch } = setup([tenantA, tenantB]);

    const result = await check(keyA, `${server.url}/tenant-c`);

    expect(result).toMatchObject({ result: 'issuer_mismatch', status: 401 });
    expect(fetch.calls).toEqual([]);
  });

  test("one issuer's outage leaves the others serving, and health tells which", async () => {
    server.setBehaviour({ kind: 'hang' }, '/b/jwks.json');
    try {
      const { verifier, check } = setup([tenantA, tenantB]);
      await verifier.ready();

      expect((await check(keyA, tenantA)).result).toBe('verified');
      expect((await check(keyB, tenantB)).result).toBe('key_source_unavailable');
      expect(verifier.health()).toEqual([
        expect.objectContaining({ issuer: tenantA, keyCount: 1, stale: false }),
        expect.objectContaining({ issuer: tenantB, keyCount: 0, stale: true }),
      ]);
      expect(verifier.health()[1]?.lastError).toMatch(/did not answer in time/);
    } finally {
      server.setBehaviour({ kind: 'body', body: JSON.stringify(jwksOf(keyB)) }, '/b/jwks.json');
    }
  });
});
