import { BearerError } from './errors';
import { checkClaims, checkType, readScopes } from './claims';
import { EventBus, describeToken, fingerprint, refusalEventType } from './events';
import { KeySet, type TrustedKey } from './keys/jwk';
import type { KeySource, KeySourceHealth } from './keys/key-source';
import { RemoteKeySource } from './keys/remote-key-source';
import { StaticKeySource } from './keys/static-key-source';
import { resolveOptions, type ResolvedOptions } from './options';
import { checkHeaderToken, extractToken, plainContext, requestContext } from './request';
import { AcceptedToken, type ScopeRefusalReporter } from './accepted-token';
import { verifyJws } from './jws';
import { SignedTokenCache, type SignedToken } from './token-cache';
import { decodeUntrusted, parseToken, type ParsedToken } from './token';
import type {
  BearerRequest,
  RequestContext,
  TokenClaims,
  TokenHeader,
  ValidateHook,
  VerifiedToken,
  VerifierOptions,
} from './types';

/** Options of {@link Verifier.authenticate}. */
export interface AuthenticateOptions {
  /** Let a request without a token through: resolves to undefined instead of refusing. */
  optional?: boolean;
}

/** Verifies bearer tokens for one API. Create it once, with {@link createVerifier}. */
export interface Verifier {
  /** Verifies a token; rejects with a BearerError, and with nothing else. */
  verify(token: string, context?: RequestContext): Promise<VerifiedToken>;
  /** Finds the request's token (RFC 6750) and verifies it. */
  authenticate(request: BearerRequest): Promise<VerifiedToken>;
  authenticate(
    request: BearerRequest,
    options: AuthenticateOptions,
  ): Promise<VerifiedToken | undefined>;
  /** Fetches every issuer's keys now; optional, for start-up. Resolves even if that fails. */
  ready(): Promise<void>;
  /** Per issuer: key count, last refresh, last error, staleness. */
  health(): KeySourceHealth[];
  /** The realm of this verifier's challenges. */
  readonly realm: string;
}

class BearerVerifier implements Verifier, ScopeRefusalReporter {
  readonly realm: string;
  private readonly events: EventBus;
  private readonly sources: ReadonlyMap<string, KeySource>;
  private readonly cache: SignedTokenCache | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.realm = options.realm;
    this.events = new EventBus(options.onEvent, options.now);
    this.cache =
      options.tokenCacheSize > 0 ? new SignedTokenCache(options.tokenCacheSize) : undefined;
    this.sources = new Map(options.issuers.map((issuer) => [issuer, this.keySource(issuer)]));
  }

  verify(token: string, context?: RequestContext): Promise<VerifiedToken> {
    const verifyToken = () => this.verifyToken(token, context, this.cache?.get(token));
    return this.options.abuse && context
      ? this.afterAbuseCheck(context, token, verifyToken)
      : verifyToken();
  }

  authenticate(request: BearerRequest): Promise<VerifiedToken>;
  authenticate(
    request: BearerRequest,
    options: AuthenticateOptions,
  ): Promise<VerifiedToken | undefined>;
  authenticate(request: BearerRequest, options: AuthenticateOptions = {}) {
    const context = requestContext(request);
    const authenticate = () => this.authenticateFound(request, options, context);
    return this.options.abuse
      ? this.afterAbuseCheck(context, undefined, authenticate)
      : authenticate();
  }

  ready(): Promise<void> {
    return Promise.all([...this.sources.values()].map((s) => s.ready())).then(() => undefined);
  }

  health(): KeySourceHealth[] {
    return [...this.sources.values()].map((s) => s.health());
  }

  // Finds the request's token and verifies it. A token the cache holds is known to be well-formed;
  // a header token it does not hold has its syntax checked first, as a request error (a query or
  // body token was checked when it was found).
  private authenticateFound(
    request: BearerRequest,
    options: AuthenticateOptions,
    context: RequestContext,
  ): Promise<VerifiedToken | undefined> {
    let token: string | undefined;
    let cached: SignedToken | undefined;
    try {
      token = extractToken(request, this.options.tokenLocations);
      if (token === undefined) {
        if (options.optional) return Promise.resolve(undefined);
        throw new BearerError('missing_token');
      }
      cached = this.cache?.get(token);
      if (cached === undefined) checkHeaderToken(token);
    } catch (err) {
      return this.refused(err, undefined, context).then((error) => Promise.reject(error));
    }
    return this.verifyToken(token, context, cached);
  }

  // A source blocked by the abuse monitor is refused before any token work. A monitor fails open
  // (ours tells its onError why): only its refusal stops a request.
  private async afterAbuseCheck<T>(
    context: RequestContext,
    token: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      await this.options.abuse?.check(context);
    } catch (err) {
      if (err instanceof BearerError) throw await this.refused(err, token, context);
    }
    return work();
  }

  // The hot path: a token whose signature is cached, with no async hook configured, is checked
  // without a single await.
  private async verifyToken(
    token: string,
    context: RequestContext | undefined,
    cached: SignedToken | undefined,
  ): Promise<VerifiedToken> {
    const { cache, options } = this;
    let verified: AcceptedToken;
    try {
      let signed = cached ?? this.verifySigned(token);
      if (signed instanceof Promise) signed = await signed;

      // Claims, revocation and (in the adapters) scopes are checked on every request.
      checkClaims(signed.claims, options.claims, Math.floor(options.now() / 1000));
      if (options.validate || options.revocations || options.isRevoked) {
        await this.runHooks(signed.claims, signed.header);
      }

      if (!cached) cache?.add(token, signed);
      verified = new AcceptedToken(
        token,
        signed.header,
        signed.claims,
        signed.scopes,
        this,
        context,
      );
    } catch (err) {
      throw await this.refused(err, token, context);
    }
    if (this.events.wants('token.verified')) this.emitVerified(verified, context);
    return verified;
  }

  private keySource(issuer: string): KeySource {
    const { secret, staticKeys, jwks, jwksUri, now } = this.options;
    if (secret) return new StaticKeySource(issuer, KeySet.fromSecret(secret));
    if (staticKeys)
      return new StaticKeySource(issuer, KeySet.fromJwks(staticKeys.keys, jwks.maxKeys));
    return new RemoteKeySource(issuer, jwksUri, jwks, this.events, now);
  }

  /** Parses the token and verifies its signature with a key from its issuer's key source. */
  private verifySigned(token: string): SignedToken | Promise<SignedToken> {
    const parsed = parseToken(token, this.options.maxTokenLength);
    let source: KeySource | undefined;
    const lookup = (jws: ParsedToken) => {
      source = this.sourceFor(jws);
      return source.candidates(jws.header.kid, jws.header.alg);
    };
    const key = verifyJws(parsed, this.options.algorithms, lookup, this.options.offloadSignatures);
    const signed = (by: TrustedKey): SignedToken => ({
      header: parsed.header,
      claims: parsed.claims,
      scopes: readScopes(parsed.claims),
      key: by,
      source: source as KeySource,
    });
    return key instanceof Promise ? key.then(signed) : signed(key);
  }

  // The revocation list (ours fails open), then the user's hook. A hook or a list of the user's
  // own that throws fails closed, as `validate` does.
  private async isRevoked(claims: TokenClaims): Promise<boolean> {
    const { revocations, isRevoked } = this.options;
    try {
      const { jti } = claims;
      if (revocations && typeof jti === 'string' && (await revocations.isRevoked(jti))) return true;
      return isRevoked !== undefined && (await isRevoked(claims)) === true;
    } catch (cause) {
      throw new BearerError('claim_invalid', {
        description: 'The token could not be checked for revocation',
        cause,
      });
    }
  }

  /** The key source of the token's issuer, once its type is known to be acceptable. */
  private sourceFor({ header, claims }: ParsedToken): KeySource {
    checkType(header, this.options.claims.strict);

    // The issuer picks the key source, so it is checked before any key is fetched.
    const source = typeof claims.iss === 'string' ? this.sources.get(claims.iss) : undefined;
    if (!source) throw new BearerError('issuer_mismatch');
    return source;
  }

  /** The user's hooks: `validate`, then the revocation list and `isRevoked`. */
  private async runHooks(claims: TokenClaims, header: TokenHeader): Promise<void> {
    const { validate } = this.options;
    if (validate) await this.runValidate(validate, claims, header);
    if (await this.isRevoked(claims)) throw new BearerError('token_revoked');
  }

  private async runValidate(
    validate: ValidateHook,
    claims: TokenClaims,
    header: TokenHeader,
  ): Promise<void> {
    let verdict: boolean | void;
    try {
      verdict = await validate(claims, header);
    } catch (cause) {
      if (cause instanceof BearerError) throw cause;
      throw new BearerError('claim_invalid', { description: 'The token failed validation', cause });
    }
    if (verdict === false) {
      throw new BearerError('claim_invalid', { description: 'The token failed validation' });
    }
  }

  /** @internal Reports a scope refusal of a token this verifier accepted. */
  reportScopeRefusal(error: BearerError, token: VerifiedToken, context?: RequestContext): void {
    this.report(error, token.token, fingerprint(token.token), token, context);
  }

  private emitVerified(verified: VerifiedToken, context: RequestContext | undefined): void {
    this.events.emit({
      type: 'token.verified',
      message: 'Token verified',
      request: context && plainContext(context),
      token: describeToken(fingerprint(verified.token), verified, true),
    });
  }

  /** Turns any failure into a BearerError with this verifier's realm, and reports it. */
  private async refused(
    err: unknown,
    token: string | undefined,
    context: RequestContext | undefined,
  ): Promise<BearerError> {
    const error =
      err instanceof BearerError
        ? err
        : new BearerError('malformed_token', {
            description: 'The token could not be read',
            cause: err,
          });
    // One fingerprint serves the event and the abuse monitor, taken only if either wants it.
    const wanted = this.options.abuse || this.events.wants(refusalEventType(error.code));
    const print = token !== undefined && wanted ? fingerprint(token) : undefined;
    this.report(error, token, print, undefined, context);
    await this.countAbuse(error, print, context);
    return error;
  }

  private async countAbuse(
    error: BearerError,
    print: string | undefined,
    context: RequestContext | undefined,
  ): Promise<void> {
    const { abuse } = this.options;
    if (!abuse || !context) return;
    try {
      const suspicion = await abuse.record(context, error.code, print);
      if (suspicion) this.events.emit(suspicion);
    } catch {
      // A failing store must not turn a refusal into a crash; the Redis store fails open anyway.
    }
  }

  /** Emits the refusal's event; `trusted` is the token's verified content, if it was verified. */
  private report(
    error: BearerError,
    token: string | undefined,
    print: string | undefined,
    trusted: Pick<ParsedToken, 'header' | 'claims'> | undefined,
    context: RequestContext | undefined,
  ): void {
    error.realm = this.realm;
    const type = refusalEventType(error.code);
    if (!this.events.wants(type)) return;
    const decoded =
      trusted ??
      (token === undefined ? undefined : decodeUntrusted(token, this.options.maxTokenLength));
    this.events.emit({
      type,
      reason: error.code,
      status: error.status,
      message: error.description,
      request: context && plainContext(context),
      token: print === undefined ? undefined : describeToken(print, decoded, trusted !== undefined),
    });
  }
}

/**
 * Creates a verifier. Options are checked now: a bad configuration throws a TypeError.
 *
 * @example
 * const verifier = createVerifier({
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 * });
 * const { claims, scopes } = await verifier.verify(token);
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return new BearerVerifier(resolveOptions(options));
}
