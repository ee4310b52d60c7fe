import type { TrustedKey } from './jwk';

/** Per-issuer state of a key source, for readiness probes. */
export interface KeySourceHealth {
  issuer: string;
  /** The JWKS URL, once known (configured or discovered). */
  jwksUri: string | undefined;
  /** Trusted keys currently held. */
  keyCount: number;
  /** When keys were last fetched successfully (ISO-8601), if ever. */
  lastRefresh: string | undefined;
  /** The last retrieval error, cleared by a success. */
  lastError: string | undefined;
  /** True when the keys are past their cache age (served under stale-if-error) or absent. */
  stale: boolean;
}

/** Where the verifier gets the keys of one issuer. */
export interface KeySource {
  /** Keys that may check a signature by `alg` with this `kid`. Throws a BearerError
   * (`key_not_found` or `key_source_unavailable`) when there are none. */
  candidates(
    kid: string | undefined,
    alg: string,
  ): readonly TrustedKey[] | Promise<readonly TrustedKey[]>;
  /**
   * True when `key` is among the keys this source trusts now, answered at once; a refresh that is
   * due starts in the background. False sends the caller down the full (awaited) path.
   */
  holds(key: TrustedKey): boolean;
  /** Fetches keys now if there are none yet; resolves whether or not that works. */
  ready(): Promise<void>;
  health(): KeySourceHealth;
}
