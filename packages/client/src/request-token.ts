import { resolveOptions, type TokenRequestOptions } from './options';
import { TokenRequester, type TokenResponse } from './token-request';

/**
 * Asks once for a client-credentials token, with no cache: what `curl -u id:secret` does, with
 * discovery, retries of transient failures and typed errors. Use {@link createTokenClient} in an
 * application; this is for tools and scripts that want the whole token response.
 *
 * @example
 * import { requestToken } from '@bearerguard/client';
 *
 * const { accessToken, expiresIn, scope } = await requestToken({
 *   tokenEndpoint: 'https://auth.example.com/oauth/token',
 *   clientId: 'reporter',
 *   clientSecret: process.env.REPORTER_SECRET!,
 * });
 */
export function requestToken(options: TokenRequestOptions): Promise<TokenResponse> {
  const resolved = resolveOptions({ ...options, renewBeforeSeconds: undefined });
  return new TokenRequester(resolved).request();
}
