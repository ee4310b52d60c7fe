import type { KeyObject } from 'node:crypto';
import type { AbuseMonitor } from './abuse/monitor';
import type { RevocationList } from './abuse/revocation';
import type { BearerEvent } from './events';

/** A JSON Web Key as published in a JWKS (RFC 7517). */
export interface JsonWebKey {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  [member: string]: unknown;
}

/** A JSON Web Key Set (RFC 7517 §5). */
export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

/** The protected header of a verified token. */
export interface TokenHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [member: string]: unknown;
}

/** The claims of a token (RFC 7519, RFC 9068). */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  client_id?: string;
  scope?: string;
  scp?: string | string[];
  [claim: string]: unknown;
}

/** What a successful verification yields. */
export interface VerifiedToken {
  /** The raw token, as presented. Never logged by bearerguard. */
  token: string;
  header: TokenHeader;
  claims: TokenClaims;
  /** Scopes from `scope` (space-delimited) and `scp` (array or string), without duplicates. */
  scopes: string[];
  subject?: string;
  clientId?: string;
  issuer: string;
  expiresAt: Date;
}

/** Where a bearer token may be presented (RFC 6750 §2). */
export type TokenLocation = 'header' | 'query' | 'body';

/**
 * A framework-neutral view of an HTTP request, which adapters build from their own request.
 * Header names are lower case, as Node gives them.
 */
export interface BearerRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Raw header name/value pairs, used to detect a repeated `Authorization` header. */
  rawHeaders?: readonly string[];
  method?: string;
  path?: string;
  query?: Record<string, unknown>;
  body?: unknown;
  ip?: string;
  requestId?: string;
}

/** Request details that events carry. */
export interface RequestContext {
  ip?: string;
  method?: string;
  path?: string;
  requestId?: string;
  userAgent?: string;
}

/** Settings of the remote key source. Times in milliseconds. */
export interface JwksOptions {
  /** One deadline for a whole fetch: connection, headers and body. Default 5000 ms. */
  timeoutMs?: number;
  /** Largest JWKS or discovery document accepted, enforced while streaming. Default 256 KiB. */
  maxResponseBytes?: number;
  /** How long fetched keys are trusted before a refresh. Default 600000 ms (10 min). */
  cacheMaxAgeMs?: number;
  /** Least time between two refreshes caused by unknown `kid`s. Default 30000 ms. */
  cooldownMs?: number;
  /** How long last-good keys keep serving while the endpoint fails. Default 3600000 ms. */
  staleIfErrorMs?: number;
  /** Most keys taken from one JWKS; the rest are ignored. Default 100. */
  maxKeys?: number;
  /** Allow plain `http:` to hosts other than loopback. Default false. */
  allowInsecureHttp?: boolean;
  /** A `fetch`-compatible function (for proxies, agents, custom headers). Default: global fetch. */
  fetch?: typeof fetch;
}

/** A custom claim check: return or resolve `false`, or throw, to refuse the token. */
export type ValidateHook = (
  claims: TokenClaims,
  header: TokenHeader,
) => boolean | void | Promise<boolean | void>;

/** Options of {@link createVerifier}. Claim times are in seconds, network times in milliseconds. */
export interface VerifierOptions {
  /** Trusted issuer, or several (multi-tenant). Compared exactly with `iss`. Required. */
  issuer: string | readonly string[];
  /** Accepted audience(s). Required: `null` turns the check off on purpose. */
  audience: string | readonly string[] | null;
  /** The JWKS URL. Default: discovered from the issuer's metadata. Single issuer only. */
  jwksUri?: string;
  /** A static JWKS for offline use, instead of a remote one. */
  keys?: JsonWebKeySet;
  /** A shared secret for HMAC (HS256/384/512). When set, only HMAC algorithms are accepted. */
  secret?: string | Uint8Array | KeyObject;
  /** Accepted `alg` values. Default: RS256/384/512, PS256/384/512, ES256/384/512, EdDSA. */
  algorithms?: readonly string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockTolerance?: number;
  /** Refuse tokens whose `iat` is older than this many seconds. Default: no limit. */
  maxTokenAge?: number;
  /** The RFC 9068 profile: `typ: at+jwt`, and `iat`, `sub`, `client_id`, `jti` required. */
  strict?: boolean;
  /** Claims that must be present (`exp` always is). */
  requiredClaims?: readonly string[];
  /** A custom claim check; a refusal answers `claim_invalid`. */
  validate?: ValidateHook;
  /** Where tokens are accepted from. Default `['header']`. */
  tokenLocations?: readonly TokenLocation[];
  /** Longest token accepted, in characters. Default 8192. */
  maxTokenLength?: number;
  /**
   * Most tokens whose verified signature is remembered, so that a token presented again (from
   * its second verification on) skips the signature check; claims, revocation and scopes are
   * still checked each time. About 0.6 KB per entry (the parsed claims, a digest and the LRU's
   * bookkeeping, measured by `npm run bench` with typical access-token claims; no raw token is
   * kept; larger claims cost more), so about 6 MiB at the default. Default 10000; 0 turns it off.
   */
  tokenCacheSize?: number;
  /**
   * Check signatures on libuv's thread pool (node:crypto's asynchronous `verify`) instead of on
   * the event loop: under load on a machine with spare cores, the event loop goes on serving
   * requests while another core verifies; one verification at a time, it adds a little latency.
   * Default false.
   */
  offloadSignatures?: boolean;
  /** The realm of `WWW-Authenticate` challenges. Default `'api'`. */
  realm?: string;
  /** Receives every event (refusals, verifications, key refreshes). Must not throw. */
  onEvent?: (event: BearerEvent) => void;
  /** Settings of the remote key source. */
  jwks?: JwksOptions;
  /** Counts refused attempts per source, raises `abuse.suspected`, optionally blocks (429). */
  abuse?: AbuseMonitor;
  /** Revoked token ids: a listed `jti` is refused with `token_revoked`. */
  revocations?: RevocationList;
  /** A custom revocation check: resolve `true` to refuse with `token_revoked`. */
  isRevoked?: (claims: TokenClaims) => boolean | Promise<boolean>;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}
