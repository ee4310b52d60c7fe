import { BearerError } from '../errors';
import type { EventInput } from '../events';
import type { ReasonCode } from '../reasons';
import { plainContext } from '../request';
import type { RequestContext } from '../types';
import { failOpenHook, reportError, type FailOpenHook } from './fail-open';
import { createMemoryStore, type BearerStore } from './store';

/** Options of {@link createAbuseMonitor}. */
export interface AbuseMonitorOptions {
  /** Refused attempts from one source within the window that raise `abuse.suspected`. */
  threshold: number;
  /** The sliding window, in seconds. */
  windowSeconds: number;
  /** When set, a source over the threshold is answered 429 for this many seconds. */
  blockSeconds?: number;
  /**
   * Names the source of a request, at once or as a promise; undefined (or null) leaves the
   * request uncounted. Default: the client address.
   */
  key?: (request: RequestContext) => string | undefined | Promise<string | undefined>;
  /** Where counters and blocks live. Default: a bounded in-memory store. */
  store?: BearerStore;
  /**
   * Hears why the store or `key` failed. The monitor fails open: the request goes on unblocked
   * and uncounted. Default: one process warning at the first failure.
   */
  onError?: FailOpenHook;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** Counts refused attempts per source and blocks sources that cross the threshold. */
export interface AbuseMonitor {
  /** Throws `rate_limited` when the request's source is blocked. */
  check(request: RequestContext): Promise<void>;
  /** Records a refusal; returns the `abuse.suspected` event when this one crossed the threshold. */
  record(
    request: RequestContext,
    reason: ReasonCode,
    fingerprint?: string,
  ): Promise<EventInput | undefined>;
}

// Refusals that say something about the caller; server faults and blocks do not.
const COUNTED = (reason: ReasonCode) =>
  reason !== 'key_source_unavailable' &&
  reason !== 'rate_limited' &&
  reason !== 'insufficient_scope';

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`bearerguard: "${name}" must be a positive number`);
  }
  return value;
}

/**
 * Creates an abuse monitor. Pass it as `abuse` to `createVerifier` or `requireBearer`.
 *
 * @example
 * const abuse = createAbuseMonitor({ threshold: 20, windowSeconds: 60, blockSeconds: 300 });
 * app.use(requireBearer({ issuer, audience, abuse }));
 */
export function createAbuseMonitor(options: AbuseMonitorOptions): AbuseMonitor {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('bearerguard: createAbuseMonitor() needs { threshold, windowSeconds }');
  }
  const threshold = positive(options.threshold, 'threshold');
  const windowMs = positive(options.windowSeconds, 'windowSeconds') * 1000;
  const blockMs =
    options.blockSeconds === undefined
      ? undefined
      : positive(options.blockSeconds, 'blockSeconds') * 1000;
  const keyOf = sourceOf(options.key);
  const store = options.store ?? createMemoryStore();
  const now = options.now ?? Date.now;
  const onError = failOpenHook(options.onError, 'abuse monitor');

  // A failing store or key hook must not lock every client out, nor refuse a good token.
  async function failOpen<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      reportError(onError, error);
      return undefined;
    }
  }

  return {
    async check(request) {
      if (blockMs === undefined) return;
      const t = now();
      const until = await failOpen(async () => {
        const source = await keyOf(request);
        return source === undefined ? undefined : store.expiresAt(`block:${source}`, t);
      });
      if (until === undefined) return;
      throw new BearerError('rate_limited', {
        retryAfter: Math.max(1, Math.ceil((until - t) / 1000)),
      });
    },

    record(request, reason, fingerprint = '-') {
      return failOpen(async () => {
        if (!COUNTED(reason)) return undefined;
        const source = await keyOf(request);
        if (source === undefined) return undefined;
        const t = now();
        const member = `${t}:${Math.random().toString(36).slice(2, 8)}:${reason}:${fingerprint}`;
        const members = await store.addToWindow(`fail:${source}`, member, t, windowMs);
        if (members.length < threshold) return undefined;
        // Once per window per source, whichever instance gets there first.
        if (!(await store.setIfAbsent(`alert:${source}`, windowMs, t))) return undefined;
        if (blockMs !== undefined) await store.put(`block:${source}`, blockMs, t);
        return suspicion(source, members, options.windowSeconds, blockMs && t + blockMs, request);
      });
    },
  };
}

/** The source of a request: the user's `key` hook, given the details as a plain object. */
function sourceOf(
  key: AbuseMonitorOptions['key'],
): (request: RequestContext) => Promise<string | undefined> {
  if (key === undefined) return async (request) => request.ip;
  if (typeof key !== 'function') throw new TypeError('bearerguard: "key" must be a function');
  return async (request) => {
    const source: unknown = await key(plainContext(request));
    if (source === undefined || source === null) return undefined;
    // Anything else would put every client under one name such as "[object Object]".
    if (typeof source !== 'string') {
      throw new TypeError(
        "bearerguard: the abuse monitor's key() must return a string or undefined, " +
          `not a ${typeof source}`,
      );
    }
    return source;
  };
}

function suspicion(
  source: string,
  members: string[],
  windowSeconds: number,
  blockedUntil: number | undefined,
  request: RequestContext,
): EventInput {
  const reasons: Partial<Record<ReasonCode, number>> = {};
  const fingerprints = new Set<string>();
  for (const member of members) {
    const [, , reason, fingerprint] = member.split(':') as [string, string, ReasonCode, string];
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (fingerprint !== '-') fingerprints.add(fingerprint);
  }
  return {
    type: 'abuse.suspected',
    message: `${members.length} refused attempts from one source in ${windowSeconds} s`,
    source,
    count: members.length,
    windowSeconds,
    reasons,
    fingerprints: [...fingerprints].slice(0, 50),
    ...(blockedUntil ? { blockedUntil: new Date(blockedUntil).toISOString() } : {}),
    request: { ip: request.ip, method: request.method, path: request.path },
  };
}
