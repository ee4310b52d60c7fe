// Small loopback HTTP servers for the client tests; not a test file itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running server: its base URL, the requests it received, and a way to stop it. */
export interface Loopback {
  url: string;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, index: number) => unknown;

/** Starts an HTTP server on 127.0.0.1 that records each request, then lets `handler` answer. */
export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: Loopback['requests'] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    await handler(req, res, body, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with a status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A token endpoint that fails `failures` times with `status` (and Retry-After), then answers. */
export function flakyTokenEndpoint(failures: number, status: number, retryAfter?: string): Handler {
  return (_req, res, _body, index) => {
    if (index < failures) {
      const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
      return sendJson(res, status, { error: 'temporarily_unavailable' }, headers);
    }
    sendJson(res, 200, { access_token: `token-${index}`, token_type: 'Bearer', expires_in: 300 });
  };
}

/** A `fetch` that counts its calls, and the URLs called. */
export function countingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: (input, init) => {
      calls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    },
  };
}
