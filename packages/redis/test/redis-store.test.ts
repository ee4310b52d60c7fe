import { Redis } from 'ioredis';
import { createRedisStore, type RedisStore } from '../src';
import { freshPrefix, untilAvailable } from './support/instances';
import { startRedisServer, stopAllRedisServers, type RedisServer } from './support/redis-server';

const T = 1_800_000_000_000;

let server: RedisServer;
let raw: Redis;
const opened: RedisStore[] = [];

async function open(options: Parameters<typeof createRedisStore>[1] = {}) {
  const prefix = freshPrefix();
  const store = createRedisStore({ url: server.url }, { keyPrefix: prefix, ...options });
  opened.push(store);
  await untilAvailable(store);
  return { store, prefix };
}

beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url);
});

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  raw.disconnect();
  await stopAllRedisServers();
});

describe('addToWindow', () => {
  it('returns the members within the window, by the caller clock', async () => {
    const { store } = await open();
    expect(await store.addToWindow('w', 'a', T, 1000)).toEqual(['a']);
    expect(await store.addToWindow('w', 'b', T + 500, 1000)).toEqual(['a', 'b']);
    // At T + 1000 the member added at T has slid out (the window is (now - 1000, now]).
    expect(await store.addToWindow('w', 'c', T + 1000, 1000)).toEqual(['b', 'c']);
    expect(await store.addToWindow('w', 'd', T + 5000, 1000)).toEqual(['d']);
  });

  it('keeps one window per key', async () => {
    const { store } = await open();
    await store.addToWindow('one', 'a', T, 60_000);
    expect(await store.addToWindow('two', 'b', T, 60_000)).toEqual(['b']);
  });

  it('keeps only the newest members past maxWindowMembers', async () => {
    const { store } = await open({ maxWindowMembers: 3 });
    for (let i = 1; i <= 5; i++) await store.addToWindow('w', `m${i}`, T + i, 60_000);
    expect(await store.addToWindow('w', 'm6', T + 6, 60_000)).toEqual(['m4', 'm5', 'm6']);
  });

  it('lets the window key expire after the window', async () => {
    const { store, prefix } = await open();
    await store.addToWindow('w', 'a', T, 60_000);
    const ttl = await raw.pttl(`${prefix}w`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('sees members added through another client', async () => {
    const a = await open();
    const b = createRedisStore({ url: server.url }, { keyPrefix: a.prefix });
    opened.push(b);
    await untilAvailable(b);
    await a.store.addToWindow('w', 'from-a', T, 60_000);
    expect(await b.addToWindow('w', 'from-b', T + 1, 60_000)).toEqual(['from-a', 'from-b']);
  });
});

describe('setIfAbsent', () => {
  it('sets a key once until it expires', async () => {
    const { store } = await open();
    expect(await store.setIfAbsent('k', 100, T)).toBe(true);
    expect(await store.setIfAbsent('k', 100, T)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.setIfAbsent('k', 100, T)).toBe(true);
  });

  it('lets exactly one of many concurrent callers win', async () => {
    const { store, prefix } = await open();
    const other = createRedisStore({ url: server.url }, { keyPrefix: prefix });
    opened.push(other);
    await untilAvailable(other);
    const calls = [store, other].flatMap((s) =>
      Array.from({ length: 10 }, () => s.setIfAbsent('race', 60_000, T)),
    );
    expect((await Promise.all(calls)).filter(Boolean)).toHaveLength(1);
  });
});

describe('put and expiresAt', () => {
  it('answers undefined for a key that is not set', async () => {
    const { store } = await open();
    expect(await store.expiresAt('nothing', T)).toBeUndefined();
  });

  it('reports the expiry against the caller clock', async () => {
    const { store } = await open();
    await store.put('k', 60_000, T);
    const at = await store.expiresAt('k', T);
    expect(at).toBeGreaterThan(T + 55_000);
    expect(at).toBeLessThanOrEqual(T + 60_000);
  });

  it('replaces an earlier expiry', async () => {
    const { store } = await open();
    await store.put('k', 60_000, T);
    await store.put('k', 2_000, T);
    expect(await store.expiresAt('k', T)).toBeLessThanOrEqual(T + 2_000);
  });

  it('forgets a key once its time is up', async () => {
    const { store } = await open();
    await store.put('k', 50, T);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.expiresAt('k', T)).toBeUndefined();
  });

  it('treats a key without expiry, not written by the store, as not set', async () => {
    const { store, prefix } = await open();
    await raw.set(`${prefix}by-hand`, '1');
    expect(await store.expiresAt('by-hand', T)).toBeUndefined();
  });
});

describe('keys and options', () => {
  it('writes every key under keyPrefix, bearerguard: by default', async () => {
    const store = createRedisStore({ url: server.url });
    opened.push(store);
    await untilAvailable(store);
    const key = `k-${Math.random().toString(36).slice(2)}`;
    await store.put(key, 60_000, T);
    expect(await raw.exists(`bearerguard:${key}`)).toBe(1);
  });

  it('rejects a bad configuration with a TypeError', () => {
    const url = server.url;
    expect(() => createRedisStore({ url }, { commandTimeoutMs: 0 })).toThrow(TypeError);
    expect(() => createRedisStore({ url }, { maxWindowMembers: 1.5 })).toThrow(TypeError);
    expect(() => createRedisStore({ url }, { keyPrefix: 5 as never })).toThrow(TypeError);
    expect(() => createRedisStore({} as never)).toThrow(TypeError);
    expect(() => createRedisStore({ client: {} as never })).toThrow(TypeError);
  });

  it('uses a client passed in and leaves it open on close', async () => {
    const client = new Redis(server.url);
    const store = createRedisStore({ client }, { keyPrefix: freshPrefix() });
    await untilAvailable(store);
    await store.put('k', 60_000, T);
    await store.close();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('quits a client it opened on close, and then answers as if empty', async () => {
    const { store } = await open();
    await store.put('k', 60_000, T);
    await store.close();
    expect(store.status()).toMatchObject({ available: false, connection: 'end' });
    expect(await store.expiresAt('k', T)).toBeUndefined();
  });
});
