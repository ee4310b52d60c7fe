import type { VerifiedToken } from '@bearerguard/core';

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

export type { RequireBearerOptions } from '@bearerguard/core';
