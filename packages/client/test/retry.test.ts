import { createServer } from 'node:net';
import { createTokenClient, TokenRequestError } from '@bearerguard/client';
import { flakyTokenEndpoint, sendJson, startLoopback, type Loopback } from './support/loopback';

let server: Loopback | undefined;
afterEach(() => server?.close());

function clientFor(url: string, extra: Record<string, unknown> = {}) {
  return createTokenClient({
    tokenEndpoint: `${url}/oauth/token`,
    clientId: 'reporter',
    clientSecret: 'retry-secret',
    retryDelayMs: 1,
    ...extra,
  });
}

describe('retries', () => {
  it.each([
    [503, '0'],
    [429, '0'],
    [500, undefined],
  ])('retries %i answers and then succeeds', async (status, retryAfter) => {
    server = await startLoopback(flakyTokenEndpoint(2, status, retryAfter));
    const token = await clientFor(server.url).getToken();
    expect(token).toBe('token-2');
    expect(server.requests).toHaveLength(3);
  });

  it('waits as long as Retry-After says', async () => {
    server = await startLoopback(flakyTokenEndpoint(1, 503, '1'));
    const started = Date.now();
    await clientFor(server.url).getToken();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it('stops after maxRetries and reports the attempts', async () => {
    server = await startLoopback(flakyTokenEndpoint(100, 503, '0'));
    const failure = clientFor(server.url, { maxRetries: 2 }).getToken();
    await expect(failure).rejects.toMatchObject({
      name: 'TokenRequestError',
      code: 'server_error',
      status: 503,
      attempts: 3,
    });
    expect(server.requests).toHaveLength(3);
  });

  it('makes 1 + 3 requests by default', async () => {
    server = await startLoopback(flakyTokenEndpoint(100, 429, '0'));
    await expect(clientFor(server.url).getToken()).rejects.toMatchObject({ code: 'rate_limited' });
    expect(server.requests).toHaveLength(4);
  });

  it('does not wait for a Retry-After longer than maxRetryDelayMs', async () => {
    server = await startLoopback(flakyTokenEndpoint(100, 429, '3600'));
    const failure = clientFor(server.url).getToken();
    await expect(failure).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 3600 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry with maxRetries 0', async () => {
    server = await startLoopback(flakyTokenEndpoint(1, 503, '0'));
    await expect(clientFor(server.url, { maxRetries: 0 }).getToken()).rejects.toThrow(
      TokenRequestError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('retries a server that does not answer in time, as a timeout', async () => {
    server = await startLoopback((_req, res, _body, index) => {
      if (index === 0) return; // never answers
      sendJson(res, 200, { access_token: 'late', token_type: 'Bearer', expires_in: 60 });
    });
    const token = await clientFor(server.url, { timeoutMs: 200 }).getToken();
    expect(token).toBe('late');
    expect(server.requests).toHaveLength(2);
  });

  it('reports an unreachable server as a network error, after retrying', async () => {
    const port = await freePort();
    const failure = clientFor(`http://127.0.0.1:${port}`, { maxRetries: 1 }).getToken();
    await expect(failure).rejects.toMatchObject({ code: 'network', attempts: 2 });
  });

  it('keeps serving a valid token when a renewal fails for a transient reason', async () => {
    let down = false;
    server = await startLoopback((_req, res, _body, index) => {
      if (down) return sendJson(res, 503, {}, { 'retry-after': '0' });
      sendJson(res, 200, { access_token: `token-${index}`, token_type: 'Bearer', expires_in: 300 });
    });
    let time = Date.now();
    const client = clientFor(server.url, { now: () => time, maxRetries: 1 });
    const first = await client.getToken();

    down = true;
    time += 280_000; // inside the renewal window, before expiry
    expect(await client.getToken()).toBe(first);
    time += 30_000; // expired
    await expect(client.getToken()).rejects.toMatchObject({ code: 'server_error' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
