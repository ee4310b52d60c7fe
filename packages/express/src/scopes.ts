import { checkScopes, refuseMissingToken, scopeList, type ScopeMode } from '@bearerguard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Lets the request through if its token has the scopes; else passes the refusal to `next`. */
function guard(
  req: Request,
  next: NextFunction,
  scopes: readonly string[],
  mode: ScopeMode,
): void | Promise<void> {
  // Behind `requireBearer({ optional: true })` a request may have no token at all.
  if (!req.auth) return refuseMissingToken(req).catch(next);
  try {
    checkScopes(req.auth, scopes, mode);
  } catch (err) {
    return next(err);
  }
  return next();
}

/**
 * Per-route guard: the token must carry every one of `scopes`, else the request is refused
 * with `insufficient_scope` (403, `WWW-Authenticate` naming the scopes). Use after
 * {@link requireBearer}; with no `req.auth` it refuses with `missing_token` (401).
 *
 * @example
 * app.delete('/alerts/:id', requireScopes('alerts:write', 'alerts:admin'), deleteAlert);
 */
export function requireScopes(...scopes: string[]): RequestHandler {
  const required = scopeList(scopes, 'requireScopes');
  return function requireScopesMiddleware(req: Request, _res: Response, next: NextFunction) {
    return guard(req, next, required, 'all');
  };
}

/**
 * Per-route guard: the token must carry at least one of `scopes`, else the request is refused
 * with `insufficient_scope` (403). Use after {@link requireBearer}; with no `req.auth` it
 * refuses with `missing_token` (401).
 *
 * @example
 * app.get('/alerts', requireAnyScope('alerts:read', 'alerts:admin'), listAlerts);
 */
export function requireAnyScope(...scopes: string[]): RequestHandler {
  const required = scopeList(scopes, 'requireAnyScope');
  return function requireAnyScopeMiddleware(req: Request, _res: Response, next: NextFunction) {
    return guard(req, next, required, 'any');
  };
}
