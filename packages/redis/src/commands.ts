import type { Redis } from 'ioredis';

// Redis wants whole, positive milliseconds for PX and PEXPIRE.
const ms = (value: number) => Math.max(1, Math.ceil(value));

// Window scores come from each caller's clock while expiries run on Redis's: instances whose
// clocks disagree by seconds count slightly different windows, which a threshold tolerates.

/**
 * One MULTI/EXEC, so concurrent instances never see a half-updated window: add the member,
 * drop what slid out (score <= now - window, as the memory store does), keep the newest
 * `maxMembers`, read the rest, and let the key expire with the window.
 */
export async function addToWindow(
  client: Redis,
  key: string,
  member: string,
  now: number,
  windowMs: number,
  maxMembers: number,
): Promise<string[]> {
  const replies = await client
    .multi()
    .zadd(key, now, member)
    .zremrangebyscore(key, '-inf', now - windowMs)
    .zremrangebyrank(key, 0, -(maxMembers + 1))
    .zrange(key, 0, -1)
    .pexpire(key, ms(windowMs))
    .exec();
  if (!replies) throw new Error('bearerguard: the Redis transaction was aborted');
  for (const [error] of replies) if (error) throw error;
  return replies[3]![1] as string[];
}

/** SET NX PX: true only for the one caller, on any instance, that created the key. */
export async function setIfAbsent(client: Redis, key: string, ttlMs: number): Promise<boolean> {
  return (await client.set(key, '1', 'PX', ms(ttlMs), 'NX')) === 'OK';
}

/** SET PX: creates the key or replaces its expiry. */
export async function put(client: Redis, key: string, ttlMs: number): Promise<void> {
  await client.set(key, '1', 'PX', ms(ttlMs));
}

/**
 * PTTL, read against the caller's clock. A key without expiry (-1) was not written by this
 * store (every write here sets one), so it counts as not set, like a missing key (-2).
 */
export async function expiresAt(
  client: Redis,
  key: string,
  now: number,
): Promise<number | undefined> {
  const ttl = await client.pttl(key);
  return ttl >= 0 ? now + ttl : undefined;
}
