import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { KeyRing } from './keys';
import { OAuthError, sendOAuthError } from './oauth-error';
import type { ResolvedOptions } from './options';
import { createTokenEndpoint } from './token-endpoint';

/** What the HTTP server serves. */
export interface ServerContext {
  issuer: string;
  keys: KeyRing;
  options: ResolvedOptions;
}

/** Paths of the endpoints, relative to the issuer. */
export const PATHS = {
  jwks: '/.well-known/jwks.json',
  token: '/oauth/token',
} as const;

/** The Express app: discovery, JWKS, token endpoint, JSON 404s and a JSON error handler. */
export function createApp(context: ServerContext): express.Express {
  const app = express();
  app.disable('x-powered-by');

  const discovery = discoveryDocument(context);
  app.get('/.well-known/openid-configuration', (_req, res) => void res.json(discovery));
  app.get('/.well-known/oauth-authorization-server', (_req, res) => void res.json(discovery));

  app.get(PATHS.jwks, (_req, res) => {
    res.set('Cache-Control', 'max-age=300').json(context.keys.jwks());
  });

  // A token request is a handful of short parameters; 4 kB leaves room and refuses floods.
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });
  app.post(PATHS.token, form, createTokenEndpoint(context));

  app.use(function notFound(_req: Request, res: Response) {
    res.status(404).json({ error: 'not_found', error_description: 'no such endpoint' });
  });
  app.use(handleError);
  return app;
}

/** RFC 8414 §2 metadata; the same document answers OpenID Connect discovery. */
export function discoveryDocument(context: ServerContext): Record<string, unknown> {
  const { issuer, options } = context;
  return {
    issuer,
    token_endpoint: `${issuer}${PATHS.token}`,
    jwks_uri: `${issuer}${PATHS.jwks}`,
    scopes_supported: [...new Set(options.clients.flatMap((client) => client.scopes))],
    // RFC 8414 §2 requires this member; there is no authorization endpoint, so it is empty.
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

// Express knows an error handler by its four parameters, so `_next` must stay.
function handleError(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }

  if (error instanceof OAuthError) {
    sendOAuthError(res, error);
    return;
  }

  // body-parser's errors (bad charset or encoding, a body that does not decompress, oversize,
  // too many parameters) are http-errors with a 4xx status and `expose`: the client's fault,
  // whatever status the parser suggests.
  if (isBodyParserError(error)) {
    sendOAuthError(
      res,
      new OAuthError('invalid_request', 400, 'the request body could not be read'),
    );
    return;
  }

  // Known shortcoming: the cause is not reported anywhere; acceptable for a local dev server.
  sendOAuthError(res, new OAuthError('server_error', 500, 'internal error'));
}

function isBodyParserError(error: unknown): boolean {
  const { expose, status } = (error ?? {}) as { expose?: unknown; status?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Starts listening on `host:port`. Requests are served once an app is attached with
 * `server.on('request', app)`, which can be built after the bound port, and so the issuer URL,
 * is known.
 */
export function listen(host: string, port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The port a listening server is bound to. */
export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections, drops idle keep-alive ones, and waits for the rest. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
