import type { BearerRequest } from '@bearerguard/core';
import type { Context } from 'koa';

/** The framework-neutral view of a Koa request that the core verifier reads. */
export function toBearerRequest(ctx: Context): BearerRequest {
  const requestId = ctx.headers['x-request-id'];
  return {
    headers: ctx.headers,
    rawHeaders: ctx.req.rawHeaders,
    method: ctx.method,
    // The path as the client sent it, whatever it is mounted on; never the query string, which
    // may carry a token (RFC 6750 §2.3).
    path: ctx.originalUrl.split('?', 1)[0],
    query: ctx.query,
    // Set only when a body parser ran before this middleware.
    body: (ctx.request as { body?: unknown }).body,
    // Honours `app.proxy`.
    ip: ctx.ip,
    requestId: typeof requestId === 'string' ? requestId : undefined,
  };
}
