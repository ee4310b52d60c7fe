// Shared by the Express and Koa adapter tests (and their parity test); not a test file itself.
import { createServer, request, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';

export const AUDIENCE = 'https://alerts.example.test';

/** A dev issuer whose default token is for `reporter`, with the scope `alerts:read`. */
export function startIssuer(): Promise<DevIssuer> {
  return startDevIssuer({
    clients: [{ clientId: 'reporter', clientSecret: 'reporter-secret', scopes: ['alerts:read'] }],
    algorithm: 'ES256',
    audience: AUDIENCE,
  });
}

/** Verifier options that trust `issuer` (loopback http is allowed). */
export function trusting(issuer: DevIssuer) {
  return { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri };
}

/** A JWT time `seconds` from now (negative for the past). */
export function inSeconds(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}

/** The token with one signature character changed: well-formed, but the signature fails. */
export function tamper(token: string): string {
  const at = token.lastIndexOf('.') + 10;
  const swapped = token[at] === 'A' ? 'B' : 'A';
  return token.slice(0, at) + swapped + token.slice(at + 1);
}

/** A loopback URL on which nothing listens. */
export async function closedPortUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${path}`;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a GET with headers that may repeat (supertest cannot send a header twice), through a
 * real server running `listener`.
 */
export async function rawGet(
  listener: RequestListener,
  path: string,
  headers: Record<string, string | string[]>,
): Promise<RawAnswer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<RawAnswer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
      req.on('error', reject);
      req.end();
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** How many Authorization lines reached the server, from Node's raw header list. */
export function authorizationLines(rawHeaders: readonly string[]): number {
  return rawHeaders.filter((v, i) => i % 2 === 0 && v.toLowerCase() === 'authorization').length;
}

/** The Authorization header for `token`. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
