import { BearerError } from './errors';
import { AcceptedToken } from './accepted-token';
import type { VerifiedToken } from './types';

/** How required scopes combine: all of them, or any one. */
export type ScopeMode = 'all' | 'any';

/**
 * Throws `insufficient_scope` (403) unless the token carries all (or, with `'any'`, one) of the
 * required scopes. The challenge names the required scopes (RFC 6750 §3).
 *
 * @example
 * checkScopes(verified, ['alerts:read']);
 * checkScopes(verified, ['alerts:write', 'alerts:admin'], 'any');
 */
export function checkScopes(
  verified: VerifiedToken,
  required: readonly string[],
  mode: ScopeMode = 'all',
): void {
  if (required.length === 0) return;
  const held = new Set(verified.scopes);
  const ok =
    mode === 'all' ? required.every((s) => held.has(s)) : required.some((s) => held.has(s));
  if (ok) return;

  const error = new BearerError('insufficient_scope', {
    scope: required,
    description:
      mode === 'all' || required.length === 1
        ? `The token needs the scope ${required.join(' ')}`
        : `The token needs one of the scopes ${required.join(' ')}`,
  });
  AcceptedToken.reportScopeRefusal(verified, error);
  throw error;
}
