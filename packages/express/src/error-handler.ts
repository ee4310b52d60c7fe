import { toHttpRefusal } from '@bearerguard/core';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';

/**
 * The JSON error responder: Express error middleware that answers a `BearerError` with its
 * status, its `WWW-Authenticate` (and `Retry-After`) headers and a JSON body
 * `{ error, error_description, reason, scope? }`. Any other error goes on to `next(err)`.
 * Register it after your routes.
 *
 * @example
 * app.use(requireBearer({ issuer, audience }));
 * app.get('/alerts', listAlerts);
 * app.use(bearerErrorHandler());
 * // 401 {"error":"invalid_token","error_description":"The token has expired",
 * //      "reason":"token_expired"}
 */
export function bearerErrorHandler(): ErrorRequestHandler {
  return function bearerErrorHandlerMiddleware(
    err: unknown,
    _req: Request,
    res: Response,
    next: NextFunction,
  ): void {
    const refusal = toHttpRefusal(err);
    // Once the answer has started, only Express's own handler can end it (by closing).
    if (refusal === undefined || res.headersSent) return next(err);
    res.status(refusal.status).set(refusal.headers).json(refusal.body);
  };
}
