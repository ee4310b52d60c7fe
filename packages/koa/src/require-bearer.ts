import {
  bearerGuard,
  frameworkRequest,
  rememberUnauthenticated,
  type AuthenticateOptions,
  type Verifier,
} from '@bearerguard/core';
import type { Middleware, Next, ParameterizedContext } from 'koa';
import type { BearerState, RequireBearerOptions } from './types';

/**
 * Koa middleware that authenticates every request with a bearer token (RFC 6750) and sets
 * `ctx.state.auth` to the verified token. A refusal is thrown as a `BearerError`, whose
 * `status`, `expose` and `headers` let Koa's own error handling answer 401/400/403/503 with the
 * right `WWW-Authenticate` challenge; put {@link bearerErrorHandler} first for JSON bodies.
 *
 * Give it verifier options (a verifier is created now, so a bad configuration throws a
 * `TypeError` at start-up), or a verifier shared with other routes.
 *
 * @example
 * const app = new Koa();
 * app.use(
 *   requireBearer({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' }),
 * );
 * app.use((ctx) => {
 *   ctx.body = { subject: ctx.state.auth?.subject };
 * });
 *
 * @example
 * const verifier = createVerifier({ issuer, audience });
 * router.get('/feed', requireBearer(verifier, { optional: true }), showFeed);
 */
export function requireBearer(options: RequireBearerOptions): Middleware<BearerState>;
export function requireBearer(
  verifier: Verifier,
  options?: AuthenticateOptions,
): Middleware<BearerState>;
export function requireBearer(
  input: RequireBearerOptions | Verifier,
  authOptions?: AuthenticateOptions,
): Middleware<BearerState> {
  const { verifier, optional } = bearerGuard(input, authOptions);
  const authenticateOptions = { optional };

  return async function requireBearerMiddleware(
    ctx: ParameterizedContext<BearerState>,
    next: Next,
  ): Promise<void> {
    const view = frameworkRequest(ctx.request, ctx.req.rawHeaders);
    const auth = await verifier.authenticate(view, authenticateOptions);
    ctx.state.auth = auth;
    if (auth === undefined) rememberUnauthenticated(ctx, verifier, view);
    await next();
  };
}
