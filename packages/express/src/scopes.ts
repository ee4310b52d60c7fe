import { checkScopes, missingToken, scopeList, type ScopeMode } from '@bearerguard/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** The refusal for a request that lacks the scopes, or undefined to let it through. */
function refusal(req: Request, scopes: readonly string[], mode: ScopeMode): unknown {
  // Behind `requireBearer({ optional: true })` a request may have no token at all.
  if (!req.auth) return missingToken(req);
  try {
    checkScopes(req.auth, scopes, mode);
  } catch (err) {
    return err;
  }
  return undefined;
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
    const err = refusal(req, required, 'all');
    return err === undefined ? next() : next(err);
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
    const err = refusal(req, required, 'any');
    return err === undefined ? next() : next(err);
  };
}
