import type { VerifiedToken, VerifierOptions } from '@bearerguard/core';

/**
 * What {@link requireBearer} adds to `ctx.state`. Koa's `DefaultState` is `any`-based, so type
 * your app or router with it to get `ctx.state.auth` checked.
 *
 * @example
 * const router = new Router<BearerState>();
 * router.get('/me', requireBearer({ issuer, audience }), (ctx) => {
 *   ctx.body = { subject: ctx.state.auth?.subject };
 * });
 */
export interface BearerState {
  /**
   * The verified token; undefined when the route is optional and the request carried no token.
   */
  auth?: VerifiedToken;
}

/**
 * Options of {@link requireBearer}: the core verifier options, plus `optional`.
 *
 * @example
 * const options: RequireBearerOptions = {
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   optional: true,
 * };
 * app.use(requireBearer(options));
 */
export interface RequireBearerOptions extends VerifierOptions {
  /**
   * Let a request with no token through, with `ctx.state.auth` undefined. A token that is
   * present but bad is still refused. Default `false`.
   */
  optional?: boolean;
}
