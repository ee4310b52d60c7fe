import { reportError, type BearerStore } from '@bearerguard/core';
import { Redis } from 'ioredis';
import * as commands from './commands';
import { failOpen } from './fail-open';
import { failOpenRedisOptions, resolveRedisStoreOptions, type RedisStoreOptions } from './options';

/**
 * Where the store's Redis is: a URL (the store opens and owns the client), or your client.
 * A single node or a primary only: a Redis Cluster client is not supported yet (no user asked).
 */
export type RedisConnection = { url: string } | { client: Redis };

/** What {@link RedisStore.status} reports. */
export interface RedisStoreStatus {
  /** True when calls reach Redis; false while they fail open. */
  available: boolean;
  /** The ioredis connection state: `ready`, `connecting`, `reconnecting`, `end`, ... */
  connection: string;
  /** The last connection or command error, if any since the store was created. */
  lastError: string | undefined;
}

/** A {@link BearerStore} in Redis, shared by every API instance that points at the same Redis. */
export interface RedisStore extends BearerStore {
  /** The connection state, for health checks: a store that fails open says nothing otherwise. */
  status(): RedisStoreStatus;
  /** Quits the client if the store opened it; a client you passed in stays yours to close. */
  close(): Promise<void>;
}

function connect(connection: RedisConnection, commandTimeoutMs: number): Redis {
  if ('client' in connection && connection.client) {
    if (typeof connection.client.multi !== 'function') {
      throw new TypeError('bearerguard: "client" must be an ioredis client');
    }
    return connection.client;
  }
  if ('url' in connection && typeof connection.url === 'string') {
    return new Redis(connection.url, failOpenRedisOptions(commandTimeoutMs));
  }
  throw new TypeError('bearerguard: createRedisStore needs { url } or { client }');
}

/**
 * Creates a store in Redis, so that abuse counters, blocks and revocations are shared by several
 * API instances. Each call is one atomic Redis command (a MULTI for sliding windows).
 *
 * **It fails open.** While Redis is unreachable or slow, every call answers within
 * `commandTimeoutMs` as if the store were empty and never rejects: failed attempts are not
 * counted, blocks are not enforced, and revoked tokens are accepted again. Verification itself
 * goes on. This is a deliberate trade of those protections for availability: an outage of Redis
 * must not become an outage of the API. Watch `status()` or `onError` to notice it. The client
 * reconnects by itself and the store works again as soon as Redis is back (empty, if Redis lost
 * its data).
 *
 * A client you pass in is used as it is; give it {@link failOpenRedisOptions} so that it does not
 * queue commands while disconnected. The store answers at once whenever the client is not ready.
 *
 * @example
 * const store = createRedisStore({ url: 'redis://cache.internal:6379' }, { keyPrefix: 'api:' });
 * const verifier = createVerifier({
 *   issuer,
 *   audience,
 *   abuse: createAbuseMonitor({ threshold: 20, windowSeconds: 60, blockSeconds: 300, store }),
 *   revocations: createRevocationList({ store }),
 * });
 * // on shutdown
 * await store.close();
 */
export function createRedisStore(
  connection: RedisConnection,
  options: RedisStoreOptions = {},
): RedisStore {
  const { keyPrefix, commandTimeoutMs, maxWindowMembers, onError } =
    resolveRedisStoreOptions(options);
  const owned = !('client' in connection && connection.client);
  const client = connect(connection, commandTimeoutMs);

  let lastError: string | undefined;
  const heard = (error: unknown) => {
    lastError = error instanceof Error ? error.message : String(error);
    reportError(onError, error);
  };
  // Without a listener ioredis logs every reconnection failure; the store reports them instead.
  client.on('error', heard);

  const call = <T>(fallback: T, work: () => Promise<T>): Promise<T> =>
    client.status === 'ready'
      ? failOpen(work, fallback, commandTimeoutMs, heard)
      : Promise.resolve(fallback);
  const k = (key: string) => keyPrefix + key;

  return {
    addToWindow: (key, member, now, windowMs) =>
      call<string[]>([], () =>
        commands.addToWindow(client, k(key), member, now, windowMs, maxWindowMembers),
      ),
    setIfAbsent: (key, ttlMs) => call(false, () => commands.setIfAbsent(client, k(key), ttlMs)),
    put: (key, ttlMs) => call(undefined, () => commands.put(client, k(key), ttlMs)),
    expiresAt: (key, now) => call(undefined, () => commands.expiresAt(client, k(key), now)),

    status: () => ({ available: client.status === 'ready', connection: client.status, lastError }),

    async close() {
      if (!owned) {
        client.off('error', heard);
        return;
      }
      if (client.status === 'end') return;
      const ended = new Promise((resolve) => client.once('end', resolve));
      // QUIT needs a live link; without one, dropping the socket is all there is to do.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
      await ended;
    },
  };
}
