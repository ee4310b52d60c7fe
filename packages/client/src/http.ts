import { TokenRequestError } from './errors';

/** An HTTP answer, its body parsed as JSON when it is JSON. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
}

/** What one exchange needs. */
export interface HttpSettings {
  fetch: typeof fetch;
  timeoutMs: number;
}

/** The URL as messages show it: origin and path, never a query or user info. */
export function endpointLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function send(url: string, init: RequestInit, settings: HttpSettings, signal: AbortSignal) {
  let res: Response;
  try {
    res = await settings.fetch(url, { ...init, redirect: 'manual', signal });
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new TokenRequestError('network', `Could not reach ${endpointLabel(url)}`, { cause });
  }
  // Known shortcoming: the body is read whole, uncapped; token responses are small and the
  // endpoint is one the user configured, unlike the JWKS URLs the core fetches with a cap.
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: parseJson(text) };
}

/**
 * One HTTP request under one deadline (headers and body), redirects not followed: a token
 * endpoint that redirects would carry the credentials elsewhere. Network faults and the deadline
 * become `network` and `timeout` TokenRequestErrors; any HTTP status resolves. The deadline
 * holds even with a `fetch` that ignores its signal.
 */
export async function exchange(
  url: string,
  init: RequestInit,
  settings: HttpSettings,
): Promise<HttpAnswer> {
  const controller = new AbortController();
  const { timeoutMs } = settings;
  const timeout = new TokenRequestError(
    'timeout',
    `${endpointLabel(url)} did not answer within ${timeoutMs} ms`,
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeout);
      reject(timeout);
    }, timeoutMs);
  });
  try {
    return await Promise.race([send(url, init, settings, controller.signal), deadline]);
  } catch (err) {
    if (err instanceof TokenRequestError) throw err;
    throw new TokenRequestError('network', `Could not read the answer of ${endpointLabel(url)}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Seconds from a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** A 429 or 5xx answer as a transient error, with the server's Retry-After; else undefined. */
export function transientStatusError(answer: HttpAnswer, label: string, nowMs: number) {
  const { status } = answer;
  if (status !== 429 && status < 500) return undefined;
  const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), nowMs);
  const code = status === 429 ? 'rate_limited' : 'server_error';
  return new TokenRequestError(code, `${label} answered HTTP ${status}`, { status, retryAfter });
}
