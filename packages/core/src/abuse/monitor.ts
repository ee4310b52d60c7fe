import { BearerError } from '../errors';
import type { EventInput } from '../events';
import type { ReasonCode } from '../reasons';
import { plainContext } from '../request';
import type { RequestContext } from '../types';
import { createMemoryStore, type BearerStore } from './store';

/** Options of {@link createAbuseMonitor}. */
export interface AbuseMonitorOptions {
  /** Refused attempts from one source within the window that raise `abuse.suspected`. */
  threshold: number;
  /** The sliding window, in seconds. */
  windowSeconds: number;
  /** When set, a source over the threshold is answered 429 for this many seconds. */
  blockSeconds?: number;
  /** Names the source of a request. Default: the client address. */
  key?: (request: RequestContext) => string | undefined;
  /** Where counters and blocks live. Default: a bounded in-memory store. */
  store?: BearerStore;
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
  // A user's hook gets the details as a plain object it may spread or log.
  const key = options.key;
  const keyOf = key
    ? (request: RequestContext) => key(plainContext(request))
    : (request: RequestContext) => request.ip;
  const store = options.store ?? createMemoryStore();
  const now = options.now ?? Date.now;

  return {
    async check(request) {
      const source = keyOf(request);
      if (source === undefined || blockMs === undefined) return;
      const t = now();
      const until = await store.expiresAt(`block:${source}`, t);
      if (until === undefined) return;
      throw new BearerError('rate_limited', {
        retryAfter: Math.max(1, Math.ceil((until - t) / 1000)),
      });
    },

    async record(request, reason, fingerprint = '-') {
      const source = keyOf(request);
      if (source === undefined || !COUNTED(reason)) return undefined;
      const t = now();
      const member = `${t}:${Math.random().toString(36).slice(2, 8)}:${reason}:${fingerprint}`;
      const members = await store.addToWindow(`fail:${source}`, member, t, windowMs);
      if (members.length < threshold) return undefined;
      // Once per window per source, whichever instance gets there first.
      if (!(await store.setIfAbsent(`alert:${source}`, windowMs, t))) return undefined;
      if (blockMs !== undefined) await store.put(`block:${source}`, blockMs, t);
      return suspicion(source, members, options.windowSeconds, blockMs && t + blockMs, request);
    },
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
