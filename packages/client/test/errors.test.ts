import { inspect } from 'node:util';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';
import { createTokenClient, requestToken, TokenRequestError } from '@bearerguard/client';
import { countingFetch, sendJson, startLoopback, type Loopback } from './support/loopback';

const SECRET = 'the-real-secret-51c2';
const WRONG = 'a-wrong-secret-9d0e';
let issuer: DevIssuer;
let server: Loopback | undefined;

beforeAll(async () => {
  issuer = await startDevIssuer({
    clients: [{ clientId: 'reporter', clientSecret: SECRET, scopes: ['alerts:read'] }],
  });
});
afterAll(() => issuer.close());
afterEach(() => server?.close());

async function failure(promise: Promise<unknown>): Promise<TokenRequestError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TokenRequestError);
  return error as TokenRequestError;
}

function everyFace(error: TokenRequestError): string {
  return [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: null })].join(
    '\n',
  );
}

describe('TokenRequestError', () => {
  it.each(['client_secret_basic', 'client_secret_post'] as const)(
    'reports invalid_client (%s) at once, without retrying or showing the secret',
    async (authMethod) => {
      const counter = countingFetch();
      const client = createTokenClient({
        tokenEndpoint: issuer.tokenEndpoint,
        clientId: 'reporter',
        clientSecret: WRONG,
        authMethod,
        fetch: counter.fetch,
      });
      const error = await failure(client.getToken());

      expect(error).toMatchObject({ code: 'invalid_client', status: 401, attempts: 1 });
      expect(error.transient).toBe(false);
      expect(counter.calls).toHaveLength(1);
      expect(everyFace(error)).not.toContain(WRONG);
    },
  );

  it('reports invalid_scope with the server description', async () => {
    const error = await failure(
      requestToken({
        tokenEndpoint: issuer.tokenEndpoint,
        clientId: 'reporter',
        clientSecret: SECRET,
        scope: 'alerts:admin',
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_scope', status: 400 });
    expect(error.message).toContain('invalid_scope');
    expect(everyFace(error)).not.toContain(SECRET);
  });

  it('redacts a secret the server echoes, and strips control characters', async () => {
    server = await startLoopback((_req, res) =>
      sendJson(res, 401, {
        error: 'invalid_client',
        error_description: `bad secret ${WRONG}\u001b[2J\n`,
      }),
    );
    const error = await failure(
      requestToken({ tokenEndpoint: `${server.url}/t`, clientId: 'c', clientSecret: WRONG }),
    );
    expect(error.description).toBe('bad secret [redacted][2J');
    expect(everyFace(error)).not.toContain(WRONG);
  });

  it.each<[string, number, unknown, string]>([
    ['a 404 page', 404, 'not json', 'invalid_response'],
    ['a success without access_token', 200, { token_type: 'Bearer' }, 'invalid_response'],
    ['another token type', 200, { access_token: 'x', token_type: 'DPoP' }, 'invalid_response'],
    ['an unknown RFC 6749 error', 400, { error: 'unauthorized_client' }, 'unauthorized_client'],
    ['a redirect', 307, {}, 'invalid_response'],
  ])('reports %s as %s, without retrying', async (_name, status, body, code) => {
    server = await startLoopback((_req, res) =>
      status === 307
        ? sendJson(res, 307, body, { location: 'https://elsewhere.example/token' })
        : sendJson(res, status, body),
    );
    const error = await failure(
      requestToken({ tokenEndpoint: `${server.url}/t`, clientId: 'c', clientSecret: SECRET }),
    );
    expect(error.code).toBe(code);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses metadata that names another issuer', async () => {
    server = await startLoopback((_req, res) =>
      sendJson(res, 200, { issuer: 'https://evil.example', token_endpoint: issuer.tokenEndpoint }),
    );
    const error = await failure(
      requestToken({ issuer: server.url, clientId: 'reporter', clientSecret: SECRET }),
    );
    expect(error.code).toBe('invalid_metadata');
    expect(server.requests).toHaveLength(1);
  });

  it('falls back on the RFC 8414 location when OpenID discovery is missing', async () => {
    server = await startLoopback((req, res) =>
      req.url === '/.well-known/oauth-authorization-server'
        ? sendJson(res, 200, { issuer: server?.url, token_endpoint: issuer.tokenEndpoint })
        : sendJson(res, 404, { error: 'not_found' }),
    );
    const response = await requestToken({
      issuer: server.url,
      clientId: 'reporter',
      clientSecret: SECRET,
    });
    expect(response.tokenType).toBe('Bearer');
    expect(server.requests.map((r) => r.url)).toEqual([
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ]);
  });
});
