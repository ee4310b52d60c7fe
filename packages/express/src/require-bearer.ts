import {
  bearerGuard,
  frameworkRequest,
  rememberUnauthenticated,
  type AuthenticateOptions,
  type VerifiedToken,
  type Verifier,
} from '@bearerguard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RequireBearerOptions } from './types';

/**
 * Express middleware that authenticates every request with a bearer token (RFC 6750) and sets
 * `req.auth` to the verified token. A refusal goes to `next(err)` as a `BearerError`, whose
 * `status` and `headers` let Express's own error handler answer 401/400/403/503 with the right
 * `WWW-Authenticate` challenge; add {@link bearerErrorHandler} for JSON bodies.
 *
 * Give it verifier options (a verifier is created now, so a bad configuration throws a
 * `TypeError` at start-up), or a verifier shared with other routes.
 *
 * @example
 * const app = express();
 * app.use(
 *   requireBearer({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' }),
 * );
 * app.get('/alerts', requireScopes('alerts:read'), (req, res) => {
 *   res.json({ subject: req.auth?.subject });
 * });
 *
 * @example
 * const verifier = createVerifier({ issuer, audience });
 * app.get('/feed', requireBearer(verifier, { optional: true }), showFeed);
 */
export function requireBearer(options: RequireBearerOptions): RequestHandler;
export function requireBearer(verifier: Verifier, options?: AuthenticateOptions): RequestHandler;
export function requireBearer(
  input: RequireBearerOptions | Verifier,
  authOptions?: AuthenticateOptions,
): RequestHandler {
  const { verifier, optional } = bearerGuard(input, authOptions);
  const authenticateOptions = { optional };

  return async function requireBearerMiddleware(
    req: Request,
    _res: Response,
    next: NextFunction,
  ): Promise<void> {
    const view = frameworkRequest(req, req.rawHeaders);
    let auth: VerifiedToken | undefined;
    try {
      auth = await verifier.authenticate(view, authenticateOptions);
    } catch (err) {
      return next(err);
    }
    req.auth = auth;
    if (auth === undefined) rememberUnauthenticated(req, verifier, view);
    next();
  };
}
