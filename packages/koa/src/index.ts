/**
 * Koa 3 adapter of bearerguard: protect routes with OAuth 2.0 bearer JWTs.
 *
 * @example
 * import Koa from 'koa';
 * import Router from '@koa/router';
 * import { bearerErrorHandler, requireBearer, requireScopes } from '@bearerguard/koa';
 *
 * const app = new Koa();
 * const router = new Router<BearerState>();
 * router.get('/alerts', requireScopes('alerts:read'), (ctx) => {
 *   ctx.body = { sub: ctx.state.auth?.subject };
 * });
 * app.use(bearerErrorHandler());
 * app.use(
 *   requireBearer({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' }),
 * );
 * app.use(router.routes());
 *
 * @packageDocumentation
 */
export { requireBearer } from './require-bearer';
export { requireScopes, requireAnyScope } from './scopes';
export { bearerErrorHandler } from './error-handler';
export type { BearerState, RequireBearerOptions } from './types';
export type {
  AuthenticateOptions,
  BearerErrorBody,
  VerifiedToken,
  Verifier,
  VerifierOptions,
} from '@bearerguard/core';
export { BearerError, createVerifier, isBearerError } from '@bearerguard/core';
