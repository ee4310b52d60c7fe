import { reportError } from '@bearerguard/core';

/**
 * What `onError` hears when a store call outlived `commandTimeoutMs` (the call itself answered
 * as if the store were empty).
 *
 * @example
 * createRedisStore({ url }, {
 *   onError: (error) => {
 *     if (error instanceof StoreTimeoutError) metrics.increment('redis.slow');
 *   },
 * });
 */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
  readonly code = 'store_timeout';

  constructor(ms: number) {
    super(`bearerguard: Redis did not answer within ${ms} ms`);
  }
}

/**
 * Runs `work` but settles within `ms`: a late or failed answer becomes `fallback`, and the
 * error goes to `onError`. Never rejects.
 */
export async function failOpen<T>(
  work: () => Promise<T>,
  fallback: T,
  ms: number,
  onError: (error: Error) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } catch (error) {
    reportError(onError, error);
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}
