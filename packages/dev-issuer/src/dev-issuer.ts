import { KeyRing, type DevJwk } from './keys';
import { mintToken, type MintOptions } from './mint';
import { DEMO_CLIENT, resolveOptions, type DevIssuerOptions } from './options';
import { PATHS, boundPort, closeServer, createApp, listen } from './server';

/**
 * A running dev issuer. Everything it serves is derived from live state, so
 * {@link DevIssuer.rotateKeys} and {@link DevIssuer.removeKey} show in the JWKS at once.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer();
 * const res = await fetch(issuer.tokenEndpoint, {
 *   method: 'POST',
 *   headers: { authorization: `Basic ${btoa('demo-client:demo-secret')}` },
 *   body: new URLSearchParams({ grant_type: 'client_credentials' }),
 * });
 * const { access_token } = await res.json();
 * await issuer.close();
 * ```
 */
export interface DevIssuer {
  /** The issuer identifier and base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly issuer: string;
  /** `${issuer}/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** `${issuer}/oauth/token`. */
  readonly tokenEndpoint: string;
  /**
   * Signs an access token. The defaults are the claims the token endpoint would issue to the
   * first client; `claims` are merged over them and a claim set to `undefined` is left out.
   *
   * @example
   * ```ts
   * const expired = await issuer.mint({ exp: Math.floor(Date.now() / 1000) - 60 });
   * const noExpiry = await issuer.mint({ exp: undefined });
   * const untyped = await issuer.mint({}, { header: { typ: undefined } });
   * ```
   */
  mint(claims?: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /**
   * Makes a fresh key current and publishes it. The previous key stays in the JWKS unless
   * `keepPrevious` is `false`.
   *
   * @example
   * ```ts
   * const { kid } = await issuer.rotateKeys({ keepPrevious: false });
   * ```
   */
  rotateKeys(options?: { keepPrevious?: boolean }): Promise<{ kid: string }>;
  /**
   * Drops a key from the JWKS. The current key keeps signing even when removed, which makes
   * tokens whose kid the JWKS no longer lists. Removing an unknown kid does nothing.
   *
   * @example
   * ```ts
   * const [{ kid }] = issuer.jwks().keys;
   * issuer.removeKey(kid);
   * ```
   */
  removeKey(kid: string): void;
  /**
   * The published JWKS, as `GET /.well-known/jwks.json` answers it.
   *
   * @example
   * ```ts
   * const keySet = createLocalJWKSet(issuer.jwks());
   * ```
   */
  jwks(): { keys: DevJwk[] };
  /**
   * Stops the server and frees its port. Calling it again returns the same promise.
   *
   * @example
   * ```ts
   * afterAll(() => issuer.close());
   * ```
   */
  close(): Promise<void>;
}

/**
 * Starts a local OAuth 2.0 authorization server on loopback, for development, demos and
 * tests: discovery, a JWKS, and a `client_credentials` token endpoint issuing RFC 9068 tokens.
 *
 * @throws TypeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { startDevIssuer } from '@bearerguard/dev-issuer';
 *
 * const issuer = await startDevIssuer({ algorithm: 'RS256' });
 * const token = await issuer.mint({ scope: 'alerts:read alerts:write' });
 * // … call your API with `Authorization: Bearer ${token}` …
 * await issuer.close();
 * ```
 */
export async function startDevIssuer(options?: DevIssuerOptions): Promise<DevIssuer> {
  const resolved = resolveOptions(options);
  const keys = await KeyRing.create(resolved.algorithm);

  const server = await listen(resolved.host, resolved.port);
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const issuer = `http://${host}:${boundPort(server)}`;
  server.on('request', createApp({ issuer, keys, options: resolved }));

  const tokenContext = {
    issuer,
    audience: resolved.audience,
    tokenTtlSeconds: resolved.tokenTtlSeconds,
    client: resolved.clients[0] ?? DEMO_CLIENT,
  };
  let closing: Promise<void> | undefined;

  return {
    issuer,
    jwksUri: `${issuer}${PATHS.jwks}`,
    tokenEndpoint: `${issuer}${PATHS.token}`,
    mint: (claims, mintOptions) => mintToken(keys, tokenContext, claims, mintOptions),
    rotateKeys: async (rotation) => ({ kid: (await keys.rotate(rotation?.keepPrevious)).kid }),
    removeKey: (kid) => keys.remove(kid),
    jwks: () => keys.jwks(),
    close: () => (closing ??= closeServer(server)),
  };
}
