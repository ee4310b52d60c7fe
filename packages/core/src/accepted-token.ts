import type { BearerError } from './errors';
import type { RequestContext, TokenClaims, TokenHeader, VerifiedToken } from './types';

/** Who hears of a scope refusal of a token it accepted: the verifier, to emit its event. */
export interface ScopeRefusalReporter {
  reportScopeRefusal(error: BearerError, token: VerifiedToken, context?: RequestContext): void;
}

/**
 * A verified token, as handed to the application. Out of sight of `console.log`, spread and
 * `JSON.stringify`, it keeps the raw token (readable as `token`, so that logging `req.auth` leaks
 * no credential) and which verifier accepted it for which request, so that `checkScopes` stays a
 * plain function and still reports `scope.insufficient`.
 */
export class AcceptedToken implements VerifiedToken {
  readonly scopes: string[];
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
  readonly issuer: string;
  readonly expiresAt: Date;
  readonly #token: string;
  readonly #reporter: ScopeRefusalReporter;
  readonly #context: RequestContext | undefined;

  constructor(
    token: string,
    readonly header: TokenHeader,
    readonly claims: TokenClaims,
    scopes: readonly string[],
    reporter: ScopeRefusalReporter,
    context: RequestContext | undefined,
  ) {
    this.#token = token;
    this.scopes = scopes.slice();
    this.subject = claims.sub;
    this.clientId = claims.client_id;
    this.issuer = claims.iss as string;
    this.expiresAt = new Date((claims.exp as number) * 1000);
    this.#reporter = reporter;
    this.#context = context;
  }

  /** The raw token, as the client sent it. */
  get token(): string {
    return this.#token;
  }

  /** Reports a scope refusal of `token` to the verifier that accepted it, if it was one. */
  static reportScopeRefusal(token: VerifiedToken, error: BearerError): void {
    if (token instanceof AcceptedToken) {
      token.#reporter.reportScopeRefusal(error, token, token.#context);
    }
  }
}
