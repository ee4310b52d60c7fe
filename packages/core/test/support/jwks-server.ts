// A real loopback JWKS server whose behaviour a test switches, for the key source, verifier and
// adapter tests; not a test file itself. Plus the keys and tokens those tests need.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** How the server answers one path. */
export type Behaviour =
  /** The current JWKS (`setKeys`), as application/json. */
  | { kind: 'jwks' }
  /** A fixed body; `status` 200 and `type` application/json unless given. */
  | { kind: 'body'; body: string; status?: number; type?: string }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Headers at once, then the JWKS one byte per `intervalMs`. */
  | { kind: 'drip'; intervalMs: number }
  /** `bytes` of JSON-looking filler streamed in `chunkBytes` chunks, with no content-length. */
  | { kind: 'oversize'; bytes: number; chunkBytes?: number }
  /** A 302 to itself. */
  | { kind: 'redirect-loop' };

const JWKS_PATH = '/jwks.json';

/** A running server; see {@link startJwksServer}. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `url` + `/jwks.json`, served in `jwks` mode from the start. */
  readonly jwksUri: string;
  /** Sets the JWKS that `jwks` behaviours serve. */
  setKeys(jwks: { keys: unknown[] }): void;
  /** Sets how `path` (default the JWKS path) is answered; unknown paths answer 404. */
  setBehaviour(behaviour: Behaviour, path?: string): void;
  /** Serves OpenID discovery (or, with `oauth`, RFC 8414 metadata) for `url` + `issuerPath`. */
  serveDiscovery(issuerPath: string, options?: { oauth?: boolean; jwksUri?: string }): string;
  /** Requests seen on `path`, or on every path. */
  count(path?: string): number;
  /** Responses whose connection closed before their body was sent in full, and bytes sent. */
  readonly cutOff: { responses: number; bytesSent: number };
  /** Resolves once `cutOff.responses` reaches `n` (or rejects after `timeoutMs`). */
  waitForCutOff(n: number, timeoutMs?: number): Promise<void>;
  /** Stops listening, so that connections are refused, keeping the port for `resume`. */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

function jsonPath(issuerPath: string, oauth: boolean): string {
  const path = issuerPath.replace(/\/$/, '');
  // RFC 8414 §3 inserts the well-known segment before the issuer's path; OIDC appends it.
  return oauth
    ? `/.well-known/oauth-authorization-server${path}`
    : `${path}/.well-known/openid-configuration`;
}

/** Starts a server on 127.0.0.1 and a free port, serving an empty JWKS until `setKeys`. */
export async function startJwksServer(): Promise<JwksServer> {
  const routes = new Map<string, Behaviour>([[JWKS_PATH, { kind: 'jwks' }]]);
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const cutOff = { responses: 0, bytesSent: 0 };
  let jwks = JSON.stringify({ keys: [] });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    answer(routes.get(path), req, res, jwks, cutOff);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  return {
    url,
    jwksUri: url + JWKS_PATH,
    cutOff,
    setKeys: (set) => void (jwks = JSON.stringify(set)),
    setBehaviour: (behaviour, path = JWKS_PATH) => void routes.set(path, behaviour),
    serveDiscovery(issuerPath, options = {}) {
      const issuer = url + issuerPath;
      const body = JSON.stringify({ issuer, jwks_uri: options.jwksUri ?? url + JWKS_PATH });
      routes.set(jsonPath(issuerPath, options.oauth === true), { kind: 'body', body });
      return issuer;
    },
    count: (path) =>
      path === undefined
        ? [...counts.values()].reduce((a, b) => a + b, 0)
        : (counts.get(path) ?? 0),
    async waitForCutOff(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (cutOff.responses < n) {
        if (Date.now() > until) throw new Error(`only ${cutOff.responses} responses cut off`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    refuse: stop,
    resume: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: async () => {
      if (server.listening) await stop();
    },
  };
}

function answer(
  behaviour: Behaviour | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  jwks: string,
  cutOff: JwksServer['cutOff'],
): void {
  const json = { 'content-type': 'application/json' };
  if (!behaviour) {
    res.writeHead(404, json).end('{"error":"not_found"}');
  } else if (behaviour.kind === 'jwks') {
    res.writeHead(200, json).end(jwks);
  } else if (behaviour.kind === 'body') {
    const type = behaviour.type ?? 'application/json';
    res.writeHead(behaviour.status ?? 200, { 'content-type': type }).end(behaviour.body);
  } else if (behaviour.kind === 'redirect-loop') {
    res.writeHead(302, { location: req.url ?? '/' }).end();
  } else if (behaviour.kind === 'drip') {
    drip(res, jwks, behaviour.intervalMs);
  } else if (behaviour.kind === 'oversize') {
    void stream(res, behaviour.bytes, behaviour.chunkBytes ?? 64 * 1024, cutOff);
  }
  // 'hang': the request stays open until the client gives up or the server closes.
}

function drip(res: ServerResponse, body: string, intervalMs: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < body.length) res.write(body[sent++]);
    else res.end();
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

// Writes with backpressure, so that the bytes counted as sent are close to what the client read;
// a client that stops reading at its cap shows up here as a connection closed mid-body.
async function stream(
  res: ServerResponse,
  bytes: number,
  chunkBytes: number,
  cutOff: JwksServer['cutOff'],
): Promise<void> {
  let closed = false;
  let wake = () => {};
  res.on('close', () => {
    closed = true;
    if (!res.writableFinished) cutOff.responses += 1;
    wake();
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(chunkBytes, 0x20);
  res.write('{"keys":[],"filler":"');
  for (let sent = 0; sent < bytes && !closed; sent += chunkBytes) {
    cutOff.bytesSent += chunkBytes;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        res.once('drain', resolve);
      });
    }
  }
  if (!closed) res.end('"}');
}

/** A signing key pair and its public JWK (with `kid`, `alg`, `use: sig`). */
export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** Generates a key; ES256 by default, since it is quick to make and to use. */
export async function createSigningKey(
  alg = 'ES256',
  kid: string = randomUUID(),
): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk };
}

/** A JWKS of the given keys' public parts. */
export function jwksOf(...keys: SigningKey[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.jwk) };
}

/** Signs an RFC 9068 access token; `nowMs` is the test's clock, `header` overrides the kid. */
export function signAccessToken(
  key: SigningKey,
  claims: { iss: string; aud: string; nowMs?: number; [name: string]: unknown },
  header: { kid?: string } = {},
): Promise<string> {
  const { nowMs = Date.now(), ...rest } = claims;
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sub: 'test-client', iat, exp: iat + 3600, ...rest })
    .setProtectedHeader({ alg: key.alg, kid: header.kid ?? key.kid, typ: 'at+jwt' })
    .sign(key.privateKey);
}

/** A clock for the verifier's `now` that moves only when a test moves it. */
export function manualClock(startMs = Date.now()): {
  now: () => number;
  advance(ms: number): void;
} {
  let time = startMs;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

/** A `fetch` for `jwks.fetch` that records each URL it is asked for, refused ones included. */
export function countingFetch(inner: typeof fetch = fetch): typeof fetch & { calls: string[] } {
  const calls: string[] = [];
  const counting = (input: string | URL | Request, init?: RequestInit) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return inner(input, init);
  };
  return Object.assign(counting, { calls });
}

/** What a verification came to ('verified' or the refusal's code and status), and its time. */
export interface Outcome {
  result: string;
  status?: number;
  ms: number;
}

/** Awaits a verification and reports its {@link Outcome}; never rejects. */
export async function outcome(verification: Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  try {
    await verification;
    return { result: 'verified', ms: performance.now() - started };
  } catch (err) {
    const { code, status } = err as { code?: string; status?: number };
    return { result: code ?? String(err), status, ms: performance.now() - started };
  }
}
