import { inspect } from 'node:util';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';
import { createTokenClient, requestToken, type TokenClientOptions } from '@bearerguard/client';
import { countingFetch } from './support/loopback';

const SECRET = 'reporter-secret-7f3a9c';
let issuer: DevIssuer;

beforeAll(async () => {
  issuer = await startDevIssuer({
    clients: [
      { clientId: 'reporter', clientSecret: SECRET, scopes: ['alerts:read', 'alerts:write'] },
    ],
    tokenTtlSeconds: 300,
  });
});
afterAll(() => issuer.close());

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

function options(extra: Partial<TokenClientOptions> = {}): TokenClientOptions {
  return {
    tokenEndpoint: issuer.tokenEndpoint,
    clientId: 'reporter',
    clientSecret: SECRET,
    ...extra,
  };
}

/** A clock the test moves by hand, starting now. */
function fakeClock() {
  let time = Date.now();
  return { now: () => time, advance: (seconds: number) => (time += seconds * 1000) };
}

describe('createTokenClient', () => {
  it('obtains a token with the client_credentials grant and caches it', async () => {
    const counter = countingFetch();
    const client = createTokenClient(options({ fetch: counter.fetch }));

    const first = await client.getToken();
    const second = await client.getToken();

    expect(second).toBe(first);
    expect(counter.calls).toEqual([issuer.tokenEndpoint]);
    expect(claimsOf(first)).toMatchObject({ client_id: 'reporter', iss: issuer.issuer });
  });

  it('renews ahead of expiry: 60 s or a tenth of the lifetime, the smaller', async () => {
    const clock = fakeClock();
    const counter = countingFetch();
    const client = createTokenClient(options({ now: clock.now, fetch: counter.fetch }));
    const first = await client.getToken();

    clock.advance(269); // 300 s lifetime: renewed 30 s before expiry
    expect(await client.getToken()).toBe(first);
    expect(counter.calls).toHaveLength(1);

    clock.advance(2);
    const renewed = await client.getToken();
    expect(renewed).not.toBe(first);
    expect(counter.calls).toHaveLength(2);
  });

  it('renews renewBeforeSeconds ahead, but never earlier than half the lifetime', async () => {
    const clock = fakeClock();
    const counter = countingFetch();
    const client = createTokenClient(
      options({ now: clock.now, fetch: counter.fetch, renewBeforeSeconds: 100 }),
    );
    await client.getToken();
    clock.advance(199);
    await client.getToken();
    expect(counter.calls).toHaveLength(1);
    clock.advance(2);
    await client.getToken();
    expect(counter.calls).toHaveLength(2);

    const greedy = countingFetch();
    const clamped = createTokenClient(
      options({ now: clock.now, fetch: greedy.fetch, renewBeforeSeconds: 3600 }),
    );
    await clamped.getToken();
    clock.advance(149);
    await clamped.getToken();
    expect(greedy.calls).toHaveLength(1);
    clock.advance(2);
    await clamped.getToken();
    expect(greedy.calls).toHaveLength(2);
  });

  it('lets concurrent callers share one request', async () => {
    const counter = countingFetch();
    const client = createTokenClient(options({ fetch: counter.fetch }));

    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.getToken()));

    expect(new Set(tokens).size).toBe(1);
    expect(counter.calls).toHaveLength(1);
  });

  it('asks for a new token after invalidate', async () => {
    const client = createTokenClient(options());
    const first = await client.getToken();
    client.invalidate('some-other-token');
    expect(await client.getToken()).toBe(first);
    client.invalidate(first);
    expect(await client.getToken()).not.toBe(first);
  });

  it('finds the token endpoint from the issuer metadata, once', async () => {
    const counter = countingFetch();
    const client = createTokenClient({
      issuer: issuer.issuer,
      clientId: 'reporter',
      clientSecret: SECRET,
      fetch: counter.fetch,
    });
    await client.getToken();
    client.invalidate();
    await client.getToken();
    expect(counter.calls).toEqual([
      `${issuer.issuer}/.well-known/openid-configuration`,
      issuer.tokenEndpoint,
      issuer.tokenEndpoint,
    ]);
  });

  it.each([
    ['a string', 'alerts:read'],
    ['a list', ['alerts:read']],
  ])('asks for the scope given as %s, with client_secret_post', async (_name, scope) => {
    const response = await requestToken(options({ scope, authMethod: 'client_secret_post' }));
    expect(response).toMatchObject({ tokenType: 'Bearer', expiresIn: 300, scope: 'alerts:read' });
    expect(claimsOf(response.accessToken).scope).toBe('alerts:read');
  });

  it.each(['client_secret_basic', 'client_secret_post'] as const)(
    'sends an id and a secret with reserved characters intact (%s)',
    async (authMethod) => {
      const odd = { clientId: 'svc:a b', clientSecret: 'p@ss:w rd+%/=é' };
      const local = await startDevIssuer({ clients: [{ ...odd, scopes: ['x'] }] });
      try {
        const response = await requestToken({
          tokenEndpoint: local.tokenEndpoint,
          ...odd,
          authMethod,
        });
        expect(claimsOf(response.accessToken).client_id).toBe('svc:a b');
      } finally {
        await local.close();
      }
    },
  );

  it('shows neither the secret nor a token when logged', async () => {
    const client = createTokenClient(options({ scope: ['alerts:read'] }));
    const token = await client.getToken();
    for (const shown of [
      inspect(client),
      inspect(client, { showHidden: true, depth: null, customInspect: false }),
      JSON.stringify(client),
      String(client),
    ]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(token);
    }
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      tokenEndpoint: issuer.tokenEndpoint,
      clientId: 'reporter',
      scope: 'alerts:read',
    });
  });

  it.each<[string, Partial<TokenClientOptions>]>([
    ['no endpoint', { tokenEndpoint: undefined }],
    ['both endpoint and issuer', { issuer: 'https://auth.example.com' }],
    ['a plain http endpoint off loopback', { tokenEndpoint: 'http://auth.example.com/token' }],
    ['an empty secret', { clientSecret: '' }],
    ['a bad auth method', { authMethod: 'private_key_jwt' as never }],
    ['a negative maxRetries', { maxRetries: -1 }],
    ['a scope with a quote', { scope: 'a"b' }],
  ])('throws a TypeError for %s', (_name, extra) => {
    expect(() => createTokenClient(options(extra))).toThrow(TypeError);
  });

  it('does not put the secret in a configuration error', () => {
    expect(() =>
      createTokenClient(options({ tokenEndpoint: 'nope', clientSecret: SECRET })),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining(SECRET) }));
  });
});
