import type { VerifiedToken } from '@bearerguard/core';

declare global {
  // Declaration merging is how Express itself types `req` extensions (see @types/express).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The verified token, set by `requireBearer`; undefined when the route is optional and
       * the request carried no token.
       */
      auth?: VerifiedToken;
    }
  }
}

export type { RequireBearerOptions } from '@bearerguard/core';
