import type { RedisOptions } from 'ioredis';

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** Prepended to every key the store writes. Default `'bearerguard:'`. */
  keyPrefix?: string;
  /**
   * Longest wait for one store call, in milliseconds; past it the call answers as if the store
   * were empty. Default 250.
   */
  commandTimeoutMs?: number;
  /** Most members kept per sliding window (the newest win). Default 1000, as in memory. */
  maxWindowMembers?: number;
  /**
   * Hears connection errors and failed commands, which the store otherwise swallows to fail
   * open. While Redis is down, expect one call per reconnection attempt. Default: none.
   */
  onError?: (error: Error) => void;
}

/** {@link RedisStoreOptions} with every default applied. */
export interface ResolvedRedisStoreOptions {
  keyPrefix: string;
  commandTimeoutMs: number;
  maxWindowMembers: number;
  onError: (error: Error) => void;
}

const DEFAULTS = { keyPrefix: 'bearerguard:', commandTimeoutMs: 250, maxWindowMembers: 1000 };

// Reconnection backoff: 50 ms doubling to a 2 s ceiling, forever (null would give up).
const MAX_RECONNECT_DELAY_MS = 2000;

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`bearerguard: "${name}" must be a positive integer`);
  }
  return value;
}

/** Checks the options and applies the defaults; a bad value is a TypeError. */
export function resolveRedisStoreOptions(options: RedisStoreOptions): ResolvedRedisStoreOptions {
  const keyPrefix = options.keyPrefix ?? DEFAULTS.keyPrefix;
  if (typeof keyPrefix !== 'string') {
    throw new TypeError('bearerguard: "keyPrefix" must be a string');
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new TypeError('bearerguard: "onError" must be a function');
  }
  return {
    keyPrefix,
    commandTimeoutMs: positiveInteger(
      options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      'commandTimeoutMs',
    ),
    maxWindowMembers: positiveInteger(
      options.maxWindowMembers ?? DEFAULTS.maxWindowMembers,
      'maxWindowMembers',
    ),
    onError: options.onError ?? (() => undefined),
  };
}

/**
 * ioredis options under which a client fails fast instead of waiting for Redis: no offline
 * queue, no command retries, a command timeout, and endless reconnection with capped backoff.
 * `createRedisStore({ url })` uses them; spread them into a client you pass in yourself.
 *
 * @example
 * const client = new Redis(process.env.REDIS_URL!, { ...failOpenRedisOptions(), tls: {} });
 * const store = createRedisStore({ client });
 */
export function failOpenRedisOptions(commandTimeoutMs = DEFAULTS.commandTimeoutMs): RedisOptions {
  positiveInteger(commandTimeoutMs, 'commandTimeoutMs');
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    // A link that stays silent while commands wait (a frozen server, a dropped route) is cut,
    // so that later calls fail at once instead of each waiting out its timeout.
    socketTimeout: Math.max(1000, 4 * commandTimeoutMs),
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), MAX_RECONNECT_DELAY_MS),
  };
}
