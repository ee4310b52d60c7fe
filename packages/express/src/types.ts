import type { VerifiedToken, VerifierOptions } from '@bearerguard/core';

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

/**
 * Options of {@link requireBearer}: the core verifier options, plus `optional`.
 *
 * @example
 * const options: RequireBearerOptions = {
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   optional: true,
 * };
 * app.use(requireBearer(options));
 */
export interface RequireBearerOptions extends VerifierOptions {
  /**
   * Let a request with no token through, with `req.auth` undefined. A token that is present
   * but bad is still refused. Default `false`.
   */
  optional?: boolean;
}
