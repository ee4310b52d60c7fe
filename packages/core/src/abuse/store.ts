/**
 * Shared state for abuse monitoring and revocation: in memory by default, or in Redis
 * (`@bearerguard/redis`) so that several API instances see the same counters, blocks and
 * revocations. Times are milliseconds since the epoch, durations milliseconds.
 *
 * A store that cannot reach its backend answers as if it held nothing (fail open): counters stop
 * counting and blocks and revocations are not seen, but verification goes on.
 */
export interface BearerStore {
  /** Adds `member` to the sliding window `key` and returns the members within `windowMs`. */
  addToWindow(key: string, member: string, now: number, windowMs: number): Promise<string[]>;
  /** Sets `key` for `ttlMs` unless it exists; true when this call set it. */
  setIfAbsent(key: string, ttlMs: number, now: number): Promise<boolean>;
  /** Sets `key` for `ttlMs`, replacing any earlier expiry. */
  put(key: string, ttlMs: number, now: number): Promise<void>;
  /** When `key` expires, or undefined when it is not set. */
  expiresAt(key: string, now: number): Promise<number | undefined>;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys held; the least recently used go first. Default 10000. */
  maxKeys?: number;
  /** Most members kept per window. Default 1000. */
  maxWindowMembers?: number;
}

interface Entry {
  expiresAt: number;
  members?: { at: number; member: string }[];
}

/**
 * The in-memory store: bounded in keys and in members per window, whatever an attacker sends.
 *
 * @example
 * const store = createMemoryStore({ maxKeys: 50_000 });
 * const abuse = createAbuseMonitor({ threshold: 20, windowSeconds: 60, store });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): BearerStore {
  const maxKeys = options.maxKeys ?? 10_000;
  const maxMembers = options.maxWindowMembers ?? 1000;
  const entries = new Map<string, Entry>();

  const live = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key); // re-inserted below: Map order is recency order
    if (entry.expiresAt <= now) return undefined;
    entries.set(key, entry);
    return entry;
  };
  const store = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
  };

  return {
    async addToWindow(key, member, now, windowMs) {
      const members = (live(key, now)?.members ?? []).filter((m) => m.at > now - windowMs);
      members.push({ at: now, member });
      if (members.length > maxMembers) members.splice(0, members.length - maxMembers);
      store(key, { expiresAt: now + windowMs, members });
      return members.map((m) => m.member);
    },
    async setIfAbsent(key, ttlMs, now) {
      if (live(key, now)) return false;
      store(key, { expiresAt: now + ttlMs });
      return true;
    },
    async put(key, ttlMs, now) {
      store(key, { expiresAt: now + ttlMs });
    },
    async expiresAt(key, now) {
      return live(key, now)?.expiresAt;
    },
  };
}
