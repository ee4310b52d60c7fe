import { BearerError } from './errors';
import { checkClaims, checkType, readScopes } from './claims';
import { EventBus, describeToken, fingerprint, refusalEventType } from './events';
import { KeySet } from './keys/jwk';
import type { KeySource, KeySourceHealth } from './keys/key-source';
import { RemoteKeySource } from './keys/remote-key-source';
import { StaticKeySource } from './keys/static-key-source';
import { resolveOptions, type ResolvedOptions } from './options';
import { extractToken, requestContext } from './request';
import { listenForScopeRefusals } from './scopes';
import { verifyJws } from './jws';
import { decodeUntrusted, parseToken, type ParsedToken } from './token';
import type {
  BearerRequest,
  RequestContext,
  TokenClaims,
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

class BearerVerifier implements Verifier {
  readonly realm: string;
  private readonly events: EventBus;
  private readonly sources: ReadonlyMap<string, KeySource>;

  constructor(private readonly options: ResolvedOptions) {
    this.realm = options.realm;
    this.events = new EventBus(options.onEvent, options.now);
    this.sources = new Map(options.issuers.map((issuer) => [issuer, this.keySource(issuer)]));
  }

  async verify(token: string, context?: RequestContext): Promise<VerifiedToken> {
    try {
      await this.guard(context);
    } catch (err) {
      throw await this.refused(err, token, undefined, context);
    }
    return this.verifyToken(token, context);
  }

  authenticate(request: BearerRequest): Promise<VerifiedToken>;
  authenticate(
    request: BearerRequest,
    options: AuthenticateOptions,
  ): Promise<VerifiedToken | undefined>;
  async authenticate(request: BearerRequest, options: AuthenticateOptions = {}) {
    const context = requestContext(request);
    let token: string | undefined;
    try {
      await this.guard(context);
      token = extractToken(request, this.options.tokenLocations);
      if (token === undefined && !options.optional) throw new BearerError('missing_token');
    } catch (err) {
      throw await this.refused(err, undefined, undefined, context);
    }
    return token === undefined ? undefined : this.verifyToken(token, context);
  }

  ready(): Promise<void> {
    return Promise.all([...this.sources.values()].map((s) => s.ready())).then(() => undefined);
  }

  health(): KeySourceHealth[] {
    return [...this.sources.values()].map((s) => s.health());
  }

  private async verifyToken(token: string, context?: RequestContext): Promise<VerifiedToken> {
    let parsed: ParsedToken | undefined;
    try {
      parsed = parseToken(token, this.options.maxTokenLength);
      const verified = await this.check(parsed);
      this.accepted(verified, context);
      return verified;
    } catch (err) {
      throw await this.refused(err, token, parsed, context);
    }
  }

  /** A source blocked by the abuse monitor is refused before any token work. */
  private async guard(context: RequestContext | undefined): Promise<void> {
    if (this.options.abuse && context) await this.options.abuse.check(context);
  }

  private keySource(issuer: string): KeySource {
    const { secret, staticKeys, jwks, jwksUri, now } = this.options;
    if (secret) return new StaticKeySource(issuer, KeySet.fromSecret(secret));
    if (staticKeys)
      return new StaticKeySource(issuer, KeySet.fromJwks(staticKeys.keys, jwks.maxKeys));
    return new RemoteKeySource(issuer, jwksUri, jwks, this.events, now);
  }

  private async check(parsed: ParsedToken): Promise<VerifiedToken> {
    const { claims } = parsed;
    await verifyJws(parsed, this.options.algorithms, (token) => this.candidates(token));

    checkClaims(claims, this.options.claims, Math.floor(this.options.now() / 1000));
    await this.runValidate(parsed);
    if (await this.isRevoked(claims)) throw new BearerError('token_revoked');
    return toVerifiedToken(parsed);
  }

  private async isRevoked(claims: TokenClaims): Promise<boolean> {
    const { revocations, isRevoked } = this.options;
    if (
      revocations &&
      typeof claims.jti === 'string' &&
      (await revocations.isRevoked(claims.jti))
    ) {
      return true;
    }
    if (!isRevoked) return false;
    try {
      return (await isRevoked(claims)) === true;
    } catch (cause) {
      throw new BearerError('claim_invalid', { description: 'The token failed validation', cause });
    }
  }

  /** The keys that may have signed the token, from the key source its issuer picks. */
  private candidates({ header, claims }: ParsedToken) {
    checkType(header, this.options.claims.strict);

    // The issuer picks the key source, so it is checked before any key is fetched.
    const source = typeof claims.iss === 'string' ? this.sources.get(claims.iss) : undefined;
    if (!source) throw new BearerError('issuer_mismatch');

    return source.candidates(header.kid, header.alg);
  }

  private async runValidate({ claims, header }: ParsedToken): Promise<void> {
    const { validate } = this.options;
    if (!validate) return;
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

  private accepted(verified: VerifiedToken, context: RequestContext | undefined): void {
    listenForScopeRefusals(verified, (error) =>
      this.report(error, verified.token, undefined, context, true),
    );
    if (!this.events.wants('token.verified')) return;
    this.events.emit({
      type: 'token.verified',
      message: 'Token verified',
      request: context && eventRequest(context),
      token: describeToken(verified.token, { ...verified, raw: verified.token } as never, true),
    });
  }

  /** Turns any failure into a BearerError with this verifier's realm, and reports it. */
  private async refused(
    err: unknown,
    token: string | undefined,
    parsed: ParsedToken | undefined,
    context: RequestContext | undefined,
  ): Promise<BearerError> {
    const error =
      err instanceof BearerError
        ? err
        : new BearerError('malformed_token', {
            description: 'The token could not be read',
            cause: err,
          });
    this.report(error, token, parsed, context, false);
    await this.countAbuse(error, token, context);
    return error;
  }

  private async countAbuse(
    error: BearerError,
    token: string | undefined,
    context: RequestContext | undefined,
  ): Promise<void> {
    const { abuse } = this.options;
    if (!abuse || !context) return;
    try {
      const suspicion = await abuse.record(context, error.code, token && fingerprint(token));
      if (suspicion) this.events.emit(suspicion);
    } catch {
      // A failing store must not turn a refusal into a crash; the Redis store fails open anyway.
    }
  }

  private report(
    error: BearerError,
    token: string | undefined,
    parsed: ParsedToken | undefined,
    context: RequestContext | undefined,
    verified: boolean,
  ): void {
    error.realm = this.realm;
    const type = refusalEventType(error.code);
    if (!this.events.wants(type)) return;
    const decoded =
      parsed ??
      (token === undefined ? undefined : decodeUntrusted(token, this.options.maxTokenLength));
    this.events.emit({
      type,
      reason: error.code,
      status: error.status,
      message: error.description,
      request: context && eventRequest(context),
      token: typeof token === 'string' ? describeToken(token, decoded, verified) : undefined,
    });
  }
}

function eventRequest(context: RequestContext) {
  const { ip, method, path, requestId, userAgent } = context;
  return {
    ip,
    method,
    path,
    ...(requestId === undefined ? {} : { requestId }),
    ...(userAgent === undefined ? {} : { userAgent }),
  };
}

function toVerifiedToken({ raw, header, claims }: ParsedToken): VerifiedToken {
  return {
    token: raw,
    header,
    claims,
    scopes: readScopes(claims),
    subject: claims.sub,
    clientId: claims.client_id,
    issuer: claims.iss as string,
    expiresAt: new Date((claims.exp as number) * 1000),
  };
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
