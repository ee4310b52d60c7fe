// Builds "API instances" for the tests: a verifier over its own Redis client; not a test file.
import {
  createAbuseMonitor,
  createRevocationList,
  createVerifier,
  type AbuseMonitor,
  type BearerEvent,
  type RevocationList,
  type Verifier,
} from '@bearerguard/core';
import { createRedisStore, type RedisStore, type RedisStoreOptions } from '../../src';
import { AUDIENCE, ISSUER, JWKS } from './tokens';

export const IP = '203.0.113.7';

/** One API instance: a verifier whose abuse monitor and revocations live in Redis. */
export interface Instance {
  store: RedisStore;
  abuse: AbuseMonitor;
  revocations: RevocationList;
  verifier: Verifier;
  events: BearerEvent[];
  /** Verifies `jwt` from {@link IP}: `'accepted'` or the refusal's code. */
  attempt(jwt: string): Promise<string>;
}

/** Threshold 3 in 60 s, then a 30 s block, as in every test here. */
export const ABUSE = { threshold: 3, windowSeconds: 60, blockSeconds: 30 };

export function startInstance(url: string, options: RedisStoreOptions = {}): Instance {
  const store = createRedisStore({ url }, options);
  const abuse = createAbuseMonitor({ ...ABUSE, store });
  const revocations = createRevocationList({ store });
  const events: BearerEvent[] = [];
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: JWKS,
    abuse,
    revocations,
    onEvent: (event) => events.push(event),
  });
  const attempt = (jwt: string) =>
    verifier.verify(jwt, { ip: IP, method: 'GET', path: '/v1/alerts' }).then(
      () => 'accepted',
      (error) => error.code as string,
    );
  return { store, abuse, revocations, verifier, events, attempt };
}

/**
 * Resolves once the store reaches Redis (with `available` false: once it has lost it); throws
 * after `ms`.
 */
export async function untilAvailable(
  store: RedisStore,
  ms = 10_000,
  available = true,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (store.status().available !== available) {
    if (Date.now() > deadline) {
      throw new Error(`store still ${available ? 'unavailable' : 'available'} after ${ms} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A key prefix no other test uses, so that tests sharing one server do not see each other. */
export function freshPrefix(): string {
  return `test:${Math.random().toString(36).slice(2, 10)}:`;
}

/** How long `work` took, in milliseconds, with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}
