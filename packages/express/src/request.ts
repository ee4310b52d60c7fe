import type { BearerRequest } from '@bearerguard/core';
import type { Request } from 'express';

/** The framework-neutral view of an Express request that the core verifier reads. */
export function toBearerRequest(req: Request): BearerRequest {
  const requestId = req.headers['x-request-id'];
  return {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    // The path as the client sent it, whatever router it is mounted on; never the query string,
    // which may carry a token (RFC 6750 §2.3).
    path: req.originalUrl.split('?', 1)[0],
    query: req.query,
    body: req.body as unknown,
    // Honours the app's `trust proxy` setting.
    ip: req.ip,
    requestId: typeof requestId === 'string' ? requestId : undefined,
  };
}
