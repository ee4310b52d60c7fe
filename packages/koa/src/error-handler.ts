import { toHttpRefusal } from '@bearerguard/core';
import type { Context, Middleware, Next } from 'koa';

/**
 * The JSON error responder: Koa middleware that answers a `BearerError` thrown further down
 * with its status, its `WWW-Authenticate` (and `Retry-After`) headers and a JSON body
 * `{ error, error_description, reason, scope? }`. Any other error is rethrown. Put it first.
 *
 * @example
 * app.use(bearerErrorHandler());
 * app.use(requireBearer({ issuer, audience }));
 * app.use(router.routes());
 * // 401 {"error":"invalid_token","error_description":"The token has expired",
 * //      "reason":"token_expired"}
 */
export function bearerErrorHandler(): Middleware {
  return async function bearerErrorHandlerMiddleware(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const refusal = toHttpRefusal(err);
      // Once the answer has started, only Koa's own handler can end it.
      if (refusal === undefined || ctx.headerSent) throw err;
      ctx.status = refusal.status;
      ctx.set(refusal.headers);
      ctx.body = refusal.body;
    }
  };
}
