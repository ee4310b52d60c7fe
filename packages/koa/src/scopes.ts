import { checkScopes, refuseMissingToken, scopeList, type ScopeMode } from '@bearerguard/core';
import type { Middleware, Next, ParameterizedContext } from 'koa';
import type { BearerState } from './types';

/** Goes on to `next` if the token has the scopes; else throws (or rejects with) the refusal. */
function guard(
  ctx: ParameterizedContext<BearerState>,
  next: Next,
  scopes: readonly string[],
  mode: ScopeMode,
): Promise<unknown> {
  // Behind `requireBearer({ optional: true })` a request may have no token at all.
  const { auth } = ctx.state;
  if (!auth) return refuseMissingToken(ctx);
  checkScopes(auth, scopes, mode);
  return next();
}

/**
 * Per-route guard: the token must carry every one of `scopes`, else the request is refused
 * with `insufficient_scope` (403, `WWW-Authenticate` naming the scopes). Use after
 * {@link requireBearer}; with no `ctx.state.auth` it refuses with `missing_token` (401).
 *
 * @example
 * router.delete('/alerts/:id', requireScopes('alerts:write', 'alerts:admin'), deleteAlert);
 */
export function requireScopes(...scopes: string[]): Middleware<BearerState> {
  const required = scopeList(scopes, 'requireScopes');
  return function requireScopesMiddleware(ctx: ParameterizedContext<BearerState>, next: Next) {
    return guard(ctx, next, required, 'all');
  };
}

/**
 * Per-route guard: the token must carry at least one of `scopes`, else the request is refused
 * with `insufficient_scope` (403). Use after {@link requireBearer}; with no `ctx.state.auth` it
 * refuses with `missing_token` (401).
 *
 * @example
 * router.get('/alerts', requireAnyScope('alerts:read', 'alerts:admin'), listAlerts);
 */
export function requireAnyScope(...scopes: string[]): Middleware<BearerState> {
  const required = scopeList(scopes, 'requireAnyScope');
  return function requireAnyScopeMiddleware(ctx: ParameterizedContext<BearerState>, next: Next) {
    return guard(ctx, next, required, 'any');
  };
}
