/**
 * Express 5 adapter of bearerguard: protect routes with OAuth 2.0 bearer JWTs.
 *
 * @example
 * import express from 'express';
 * import { bearerErrorHandler, requireBearer, requireScopes } from '@bearerguard/express';
 *
 * const app = express();
 * app.use(
 *   requireBearer({ issuer: 'https://auth.example.com', audience: 'https://api.example.com' }),
 * );
 * app.get('/alerts', requireScopes('alerts:read'), (req, res) =>
 *   res.json({ sub: req.auth?.subject }),
 * );
 * app.use(bearerErrorHandler());
 *
 * @packageDocumentation
 */
export { requireBearer } from './require-bearer';
export { requireScopes, requireAnyScope } from './scopes';
export { bearerErrorHandler } from './error-handler';
export type { RequireBearerOptions } from './types';
export type {
  AuthenticateOptions,
  BearerErrorBody,
  VerifiedToken,
  Verifier,
  VerifierOptions,
} from '@bearerguard/core';
export { BearerError, createVerifier, isBearerError } from '@bearerguard/core';
