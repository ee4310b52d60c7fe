/** Why a fetch of a JWKS or metadata document failed. */
export type FetchFailure =
  | 'insecure_url'
  | 'network'
  | 'timeout'
  | 'http_status'
  | 'redirect'
  | 'too_large'
  | 'not_json'
  | 'bad_document'
  | 'no_usable_keys'
  | 'issuer_mismatch';

/** A failed retrieval. Its message names the URL and the fault, never a response body. */
export class KeySourceError extends Error {
  override readonly name = 'KeySourceError';
  constructor(
    readonly code: FetchFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Limits every retrieval obeys. */
export interface FetchLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  allowInsecureHttp: boolean;
  fetch: typeof fetch;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Refuses URLs that are not https, but for loopback (or when plain http is allowed). */
export function checkUrl(url: string, allowInsecureHttp: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KeySourceError('insecure_url', 'Not a valid URL');
  }
  const httpAllowed = allowInsecureHttp || LOOPBACK.test(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && httpAllowed)) {
    throw new KeySourceError('insecure_url', `Refusing a non-https URL: ${parsed.origin}`);
  }
  return parsed;
}

async function readCapped(res: Response, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) throw new KeySourceError('too_large', 'The response is too large');
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new KeySourceError('too_large', 'The response is too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function fetchBody(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<Buffer> {
  let res: Response;
  try {
    res = await limits.fetch(url.href, {
      signal,
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new KeySourceError('network', `Could not reach ${url.origin}`, { cause });
  }
  // An injected fetch may follow redirects whatever it is asked: its answer is refused too.
  if ((res.status >= 300 && res.status < 400) || res.redirected) {
    await res.body?.cancel().catch(() => undefined);
    throw new KeySourceError('redirect', `${url.origin} answered a redirect, not followed`);
  }
  if (res.status < 200 || res.status >= 300) {
    await res.body?.cancel().catch(() => undefined);
    throw new KeySourceError('http_status', `${url.origin} answered HTTP ${res.status}`);
  }
  return readCapped(res, limits.maxResponseBytes, signal);
}

/**
 * GETs a JSON object under one total deadline (connection, headers and body), with a size cap
 * enforced while streaming and no redirects. Resolves to the parsed object or throws a
 * KeySourceError; never waits past the deadline, even with a `fetch` that ignores its signal.
 */
export async function fetchJson(
  url: string,
  limits: FetchLimits,
): Promise<Record<string, unknown>> {
  const target = checkUrl(url, limits.allowInsecureHttp);
  const controller = new AbortController();
  const timeout = new KeySourceError('timeout', `${target.origin} did not answer in time`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeout);
      reject(timeout);
    }, limits.timeoutMs);
  });
  try {
    const body = await Promise.race([fetchBody(target, limits, controller.signal), deadline]);
    return parseObject(body, target);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function parseObject(body: Buffer, url: URL): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (cause) {
    throw new KeySourceError('not_json', `${url.origin} did not answer JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KeySourceError('bad_document', `${url.origin} did not answer a JSON object`);
  }
  return value as Record<string, unknown>;
}
