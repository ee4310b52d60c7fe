import { TokenRequestError } from './errors';
import type { RetryPolicy } from './options';

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Exponential backoff with jitter (half fixed, half random), so that many clients failing
// together do not come back together.
function backoff(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.retryDelayMs * 2 ** (retry - 1), policy.maxRetryDelayMs);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/** The wait before retry number `retry`; undefined when the server asks for too long a wait. */
function delayBefore(error: TokenRequestError, retry: number, policy: RetryPolicy) {
  if (error.retryAfter === undefined) return backoff(retry, policy);
  const asked = error.retryAfter * 1000;
  return asked > policy.maxRetryDelayMs ? undefined : asked;
}

/**
 * Runs `attempt`, retrying transient TokenRequestErrors (network, timeout, 5xx, 429) at most
 * `maxRetries` times with backoff, or after the server's `Retry-After`. Any other error, and the
 * last transient one, is thrown with its attempt count.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof TokenRequestError)) throw err;
      err.attempts = attempts;
      const delay = err.transient && attempts <= policy.maxRetries;
      const ms = delay ? delayBefore(err, attempts, policy) : undefined;
      if (ms === undefined) throw giveUp(err, attempts);
      await wait(ms);
    }
  }
}

function giveUp(error: TokenRequestError, attempts: number): TokenRequestError {
  if (attempts > 1) error.message = `${error.message} (after ${attempts} attempts)`;
  return error;
}
