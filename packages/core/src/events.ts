import { createHash } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ReasonCode } from './reasons';
import type { ParsedToken } from './token';

/** Every event type bearerguard emits. */
export type BearerEventType =
  | 'token.missing'
  | 'token.invalid'
  | 'token.expired'
  | 'scope.insufficient'
  | 'token.verified'
  | 'keys.refreshed'
  | 'keys.refresh_failed'
  | 'abuse.suspected';

/** The request an event is about. */
export interface EventRequest {
  ip: string | undefined;
  method: string | undefined;
  path: string | undefined;
  requestId?: string;
  userAgent?: string;
}

/**
 * What an event tells of a token: decoded without trusting it (`verified: false` when
 * verification failed). The raw token and its signature are never included.
 */
export interface EventToken {
  /** A short hash of the whole token: the same token always gives the same fingerprint. */
  fingerprint: string;
  alg?: string;
  kid?: string;
  typ?: string;
  iss?: string;
  sub?: string;
  aud?: string | string[];
  clientId?: string;
  jti?: string;
  exp?: number;
  iat?: number;
  verified: boolean;
}

/** One event: a refused or accepted attempt, a key refresh, or suspected abuse. */
export interface BearerEvent {
  type: BearerEventType;
  /** ISO-8601. */
  time: string;
  reason?: ReasonCode;
  status?: number;
  /** Fixed, human text; never token content. */
  message: string;
  request?: EventRequest;
  token?: EventToken;
  /** Key events: the issuer, its JWKS URL, the keys held, the failure code. */
  issuer?: string;
  jwksUri?: string;
  keyCount?: number;
  error?: string;
  stale?: boolean;
  /** Abuse events: the source, and what it did in the window. */
  source?: string;
  count?: number;
  windowSeconds?: number;
  reasons?: Partial<Record<ReasonCode, number>>;
  fingerprints?: string[];
  blockedUntil?: string;
}

/** An event before it is stamped with its time. */
export type EventInput = Omit<BearerEvent, 'time'>;

const CHANNELS = new Map<BearerEventType, diagnosticsChannel.Channel>();

/** The `node:diagnostics_channel` channel of an event type: `bearerguard:<type>`. */
export function eventChannel(type: BearerEventType): diagnosticsChannel.Channel {
  let channel = CHANNELS.get(type);
  if (!channel) {
    channel = diagnosticsChannel.channel(`bearerguard:${type}`);
    CHANNELS.set(type, channel);
  }
  return channel;
}

/** A short, stable, non-reversible name for a token (12 base64url characters of SHA-256). */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 12);
}

// Untrusted strings are cut short, so that a hostile token cannot bloat every log line.
const MAX_FIELD = 256;
const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, MAX_FIELD) : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const aud = (v: unknown) =>
  typeof v === 'string'
    ? v.slice(0, MAX_FIELD)
    : Array.isArray(v) && v.every((a) => typeof a === 'string')
      ? v.slice(0, 10).map((a: string) => a.slice(0, MAX_FIELD))
      : undefined;

/** The token part of an event, from a token that may not even parse. */
export function describeToken(
  tokenFingerprint: string,
  parsed: Pick<ParsedToken, 'header' | 'claims'> | undefined,
  verified: boolean,
): EventToken {
  const summary: EventToken = { fingerprint: tokenFingerprint, verified };
  if (!parsed) return summary;
  const { header, claims } = parsed;
  const fields: Omit<EventToken, 'fingerprint' | 'verified'> = {
    alg: str(header.alg),
    kid: str(header.kid),
    typ: str(header.typ),
    iss: str(claims.iss),
    sub: str(claims.sub),
    aud: aud(claims.aud),
    clientId: str(claims.client_id),
    jti: str(claims.jti),
    exp: num(claims.exp),
    iat: num(claims.iat),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (summary as unknown as Record<string, unknown>)[key] = value;
  }
  return summary;
}

/**
 * Calls a user's listener or hook. Neither its throw nor its rejected promise (an `async` hook
 * that fails) reaches the caller: the listener's fault is its own, and the request goes on.
 */
export function callListener<T>(listener: (value: T) => unknown, value: T): void {
  try {
    const result = listener(value);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      Promise.resolve(result).catch(ignore);
    }
  } catch {
    // As above.
  }
}

const ignore = () => undefined;

/**
 * Delivers events to the `onEvent` option and to diagnostics channels. Building an event costs
 * only when someone listens (`wants`), and a listener that throws never breaks a request.
 */
export class EventBus {
  constructor(
    private readonly onEvent: ((event: BearerEvent) => void) | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  wants(type: BearerEventType): boolean {
    return this.onEvent !== undefined || eventChannel(type).hasSubscribers;
  }

  emit(input: EventInput): void {
    if (!this.wants(input.type)) return;
    const { type, ...rest } = input;
    const event: BearerEvent = { type, time: new Date(this.now()).toISOString(), ...rest };
    if (this.onEvent) callListener(this.onEvent, event);
    // Node isolates channel subscribers: one that throws has its error re-raised on the next
    // tick (as for any diagnostics_channel publisher), after this request has gone on.
    const channel = eventChannel(input.type);
    if (channel.hasSubscribers) channel.publish(event);
  }
}

/** The event type a refusal reason maps to. */
export function refusalEventType(reason: ReasonCode): BearerEventType {
  if (reason === 'missing_token') return 'token.missing';
  if (reason === 'token_expired') return 'token.expired';
  if (reason === 'insufficient_scope') return 'scope.insufficient';
  return 'token.invalid';
}
