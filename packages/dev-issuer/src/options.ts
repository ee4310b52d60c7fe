/** Signature algorithms the dev issuer can publish keys for. */
export type DevIssuerAlgorithm = 'ES256' | 'RS256' | 'PS256' | 'ES384' | 'EdDSA';

/**
 * A confidential client registered with the dev issuer.
 *
 * @example
 * ```ts
 * const reporter: DevClient = {
 *   clientId: 'reporter',
 *   clientSecret: 'reporter-secret',
 *   scopes: ['alerts:read', 'alerts:write'],
 * };
 * await startDevIssuer({ clients: [reporter] });
 * ```
 */
export interface DevClient {
  /** The `client_id` the client authenticates with. */
  clientId: string;
  /** The `client_secret` the client authenticates with. */
  clientSecret: string;
  /** The scopes the client may ask for; it gets all of them when it asks for none. */
  scopes: string[];
}

/**
 * Options for {@link startDevIssuer}. Every member is optional.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer({
 *   algorithm: 'RS256',
 *   tokenTtlSeconds: 60,
 *   audience: 'https://alerts.example.test',
 * });
 * ```
 */
export interface DevIssuerOptions {
  /** TCP port to listen on. Default `0`: a free port chosen by the system. */
  port?: number;
  /**
   * Loopback address to bind and to write into the issuer URL: `'127.0.0.1'`, `'::1'` or
   * `'localhost'`. Default `'127.0.0.1'`. Any other address is refused: this server is for
   * development only and must not be reachable from the network.
   */
  host?: string;
  /**
   * Registered clients. Default: one client `demo-client` / `demo-secret` with the scope
   * `alerts:read`. The first client also provides the default `sub`, `client_id` and `scope`
   * of {@link DevIssuer.mint}.
   */
  clients?: DevClient[];
  /** Algorithm of the signing keys. Default `'ES256'`. */
  algorithm?: DevIssuerAlgorithm;
  /** Lifetime of issued tokens, in seconds. Default `300`. */
  tokenTtlSeconds?: number;
  /** The `aud` claim of issued tokens. Default `'https://api.example.test'`. */
  audience?: string;
}

/** Options after defaults are applied and checked. */
export interface ResolvedOptions {
  port: number;
  host: string;
  clients: DevClient[];
  algorithm: DevIssuerAlgorithm;
  tokenTtlSeconds: number;
  audience: string;
}

const ALGORITHMS: readonly string[] = ['ES256', 'RS256', 'PS256', 'ES384', 'EdDSA'];
const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** The client used when none are configured. */
export const DEMO_CLIENT: Readonly<DevClient> = Object.freeze({
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  scopes: ['alerts:read'],
});

/** Applies the defaults in one place and throws a `TypeError` for any configuration mistake. */
export function resolveOptions(options: DevIssuerOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    clients: options.clients ?? [{ ...DEMO_CLIENT, scopes: [...DEMO_CLIENT.scopes] }],
    algorithm: options.algorithm ?? 'ES256',
    tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
    audience: options.audience ?? 'https://api.example.test',
  };
  checkOptions(resolved);
  return resolved;
}

function checkOptions(options: ResolvedOptions): void {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new TypeError('port must be an integer from 0 to 65535');
  }

  if (!LOOPBACK_HOSTS.includes(options.host)) {
    throw new TypeError(`host must be one of ${LOOPBACK_HOSTS.join(', ')}`);
  }

  if (!ALGORITHMS.includes(options.algorithm)) {
    throw new TypeError(`algorithm must be one of ${ALGORITHMS.join(', ')}`);
  }

  if (!Number.isInteger(options.tokenTtlSeconds) || options.tokenTtlSeconds <= 0) {
    throw new TypeError('tokenTtlSeconds must be a positive integer');
  }

  if (typeof options.audience !== 'string' || options.audience === '') {
    throw new TypeError('audience must be a non-empty string');
  }

  checkClients(options.clients);
}

function checkClients(clients: DevClient[]): void {
  if (!Array.isArray(clients)) {
    throw new TypeError('clients must be an array');
  }

  const seen = new Set<string>();
  for (const client of clients) {
    if (!isNonEmptyString(client?.clientId) || !isNonEmptyString(client.clientSecret)) {
      throw new TypeError('each client needs a non-empty clientId and clientSecret');
    }
    if (!Array.isArray(client.scopes) || !client.scopes.every(isScopeToken)) {
      throw new TypeError(`client ${client.clientId}: scopes must be scope tokens without spaces`);
    }
    if (seen.has(client.clientId)) {
      throw new TypeError(`client ${client.clientId} is listed twice`);
    }
    seen.add(client.clientId);
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
function isScopeToken(value: unknown): boolean {
  return typeof value === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(value);
}
