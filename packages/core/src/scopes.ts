import { BearerError } from './errors';
import type { VerifiedToken } from './types';

/** How required scopes combine: all of them, or any one. */
export type ScopeMode = 'all' | 'any';

type ScopeListener = (error: BearerError) => void;

// The verifier that produced a token hears of its scope refusals, so that `checkScopes` can stay
// a plain function and still emit `scope.insufficient` events.
const listeners = new WeakMap<VerifiedToken, ScopeListener>();

/** @internal Registers who hears of a token's scope refusals. */
export function listenForScopeRefusals(verified: VerifiedToken, listener: ScopeListener): void {
  listeners.set(verified, listener);
}

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
  listeners.get(verified)?.(error);
  throw error;
}
