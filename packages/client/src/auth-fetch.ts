/** What authFetch needs from a token client. */
export interface TokenSource {
  getToken(): Promise<string>;
  invalidate(token?: string): void;
}

// RFC 6750 §3: `Bearer` auth-params; the `error` one, quoted or not. Known shortcoming: in a
// header that lists several schemes, an `error` of a scheme after Bearer would be read too.
const BEARER_ERROR = /(?:^|,)\s*Bearer\b[^]*?\berror\s*=\s*(?:"([^"]*)"|([^\s,]+))/i;

/** True for a 401 whose Bearer challenge says `error="invalid_token"` (RFC 6750 §3.1). */
export function isInvalidTokenChallenge(res: Response): boolean {
  if (res.status !== 401) return false;
  const match = BEARER_ERROR.exec(res.headers.get('www-authenticate') ?? '');
  return (match?.[1] ?? match?.[2]) === 'invalid_token';
}

function withToken(request: Request, token: string): Request {
  request.headers.set('authorization', `Bearer ${token}`);
  return request;
}

/**
 * Sends the request with the current token. When the API answers 401 `invalid_token` (revoked,
 * rotated keys, a clock ahead of ours), the token is dropped, renewed once and the request sent
 * again; the second answer is returned whatever it is. The request is cloned up front so that
 * its body can be sent twice.
 */
export async function sendWithToken(
  source: TokenSource,
  send: typeof fetch,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const request = new Request(input, init);
  const token = await source.getToken();
  const first = await send(withToken(request.clone(), token));
  if (!isInvalidTokenChallenge(first)) return first;

  await first.body?.cancel().catch(() => undefined);
  source.invalidate(token);
  return send(withToken(request, await source.getToken()));
}
