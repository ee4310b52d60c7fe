import { callListener } from '../events';

/** Hears why a store call or a key hook failed; the request went on as if nothing were stored. */
export type FailOpenHook = (error: Error) => void;

/**
 * Checks a monitor's or a revocation list's `onError` option. Without one, the first failure is
 * a process warning, so that a broken store or hook is seen without flooding the log.
 */
export function failOpenHook(onError: unknown, owner: string): FailOpenHook {
  if (onError !== undefined) {
    if (typeof onError !== 'function') {
      throw new TypeError('bearerguard: "onError" must be a function');
    }
    return onError as FailOpenHook;
  }
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    process.emitWarning(
      `bearerguard: the ${owner} failed and lets requests through (${error.message}); ` +
        'give it onError to hear every failure',
      { code: 'BEARERGUARD_FAIL_OPEN' },
    );
  };
}

/**
 * Hands an error to a user's `onError` hook; a hook that throws or rejects must not break a
 * request.
 *
 * @example
 * try { await store.put(key, ttl, now); } catch (error) { reportError(onError, error); }
 */
export function reportError(onError: FailOpenHook, error: unknown): void {
  callListener(onError, error instanceof Error ? error : new Error(String(error)));
}
