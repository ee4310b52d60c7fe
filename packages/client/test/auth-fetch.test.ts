import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';
import { createTokenClient, type TokenClient } from '@bearerguard/client';
import { countingFetch, startLoopback, type Loopback } from './support/loopback';

let issuer: DevIssuer;
let api: Loopback | undefined;
let counter: ReturnType<typeof countingFetch>;
let client: TokenClient;

beforeAll(async () => {
  issuer = await startDevIssuer({
    clients: [{ clientId: 'reporter', clientSecret: 'api-secret', scopes: ['alerts:read'] }],
  });
});
afterAll(() => issuer.close());
afterEach(() => api?.close());
beforeEach(() => {
  counter = countingFetch();
  client = createTokenClient({
    tokenEndpoint: issuer.tokenEndpoint,
    clientId: 'reporter',
    clientSecret: 'api-secret',
    fetch: counter.fetch,
  });
});

const INVALID_TOKEN = 'Bearer realm="api", error="invalid_token", error_description="revoked"';

/** An API that refuses the first token it sees (401 invalid_token) and accepts any other. */
function refusingFirstToken(challenge = INVALID_TOKEN) {
  let refused: string | undefined;
  return startLoopback((req, res, body) => {
    const auth = req.headers.authorization ?? '';
    refused ??= auth;
    if (auth === refused) {
      res.writeHead(401, { 'www-authenticate': challenge }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${body}`);
  });
}

const tokenRequests = () => counter.calls.filter((url) => url === issuer.tokenEndpoint).length;

describe('authFetch', () => {
  it('sends the token as a Bearer authorization header', async () => {
    api = await startLoopback((_req, res) => res.writeHead(204).end());
    const res = await client.authFetch(`${api.url}/alerts`, { headers: { 'x-trace': '1' } });

    expect(res.status).toBe(204);
    const { headers } = api.requests[0]!;
    expect(headers.authorization).toBe(`Bearer ${await client.getToken()}`);
    expect(headers['x-trace']).toBe('1');
  });

  it('renews the token once on a 401 invalid_token and sends the request again', async () => {
    api = await refusingFirstToken();
    const res = await client.authFetch(`${api.url}/alerts`, { method: 'POST', body: 'hello' });

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('got hello');
    expect(api.requests).toHaveLength(2);
    const [first, second] = api.requests.map((r) => r.headers.authorization);
    expect(second).not.toBe(first);
    expect(second).toBe(`Bearer ${await client.getToken()}`);
    expect(tokenRequests()).toBe(2);
  });

  it('accepts a Request object and replays its body', async () => {
    api = await refusingFirstToken();
    const request = new Request(`${api.url}/alerts`, { method: 'PUT', body: 'payload' });
    const res = await client.authFetch(request);
    expect(await res.text()).toBe('got payload');
    expect(api.requests.map((r) => r.method)).toEqual(['PUT', 'PUT']);
  });

  it('returns the second 401 rather than trying again', async () => {
    api = await startLoopback((_req, res) =>
      res.writeHead(401, { 'www-authenticate': INVALID_TOKEN }).end(),
    );
    const res = await client.authFetch(`${api.url}/alerts`);
    expect(res.status).toBe(401);
    expect(api.requests).toHaveLength(2);
    expect(tokenRequests()).toBe(2);
  });

  it.each([
    ['a 401 without an error', 'Bearer realm="api"'],
    ['a 401 for another scheme', 'Basic realm="api"'],
    ['a 401 insufficient_scope', 'Bearer error="insufficient_scope"'],
  ])('does not renew on %s', async (_name, challenge) => {
    api = await refusingFirstToken(challenge);
    const res = await client.authFetch(`${api.url}/alerts`);
    expect(res.status).toBe(401);
    expect(api.requests).toHaveLength(1);
    expect(tokenRequests()).toBe(1);
  });

  it('renews once for many requests refused together', async () => {
    api = await refusingFirstToken();
    await client.getToken();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => client.authFetch(`${api!.url}/alerts`)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(tokenRequests()).toBe(2);
  });
});
