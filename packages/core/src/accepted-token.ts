import type { BearerError } from './errors';
import type { RequestContext, TokenClaims, TokenHeader, VerifiedToken } from './types';

/** Who hears of a scope refusal of a token it accepted: the verifier, to emit its event. */
export interface ScopeRefusalReporter {
  reportScopeRefusal(error: BearerError, token: VerifiedToken, context?: RequestContext): void;
}

/**
 * A verified token, as handed to the application. It remembers (privately, out of sight of
 * `console.log` and `JSON.stringify`) which verifier accepted it and for which request, so that
 * `checkScopes` stays a plain function and still reports `scope.insufficient`.
 */
export class AcceptedToken implements VerifiedToken {
  readonly scopes: string[];
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
  readonly issuer: string;
  readonly expiresAt: Date;
  readonly #reporter: ScopeRefusalReporter;
  readonly #context: RequestContext | undefined;

  constructor(
    readonly token: string,
    readonly header: TokenHeader,
    readonly claims: TokenClaims,
    scopes: readonly string[],
    reporter: ScopeRefusalReporter,
    context: RequestContext | undefined,
  ) {
    this.scopes = scopes.slice();
    this.subject = claims.sub;
    this.clientId = claims.client_id;
    this.issuer = claims.iss as string;
    this.expiresAt = new Date((claims.exp as number) * 1000);
    this.#reporter = reporter;
    this.#context = context;
  }

  /** Reports a scope refusal of `token` to the verifier that accepted it, if it was one. */
  static reportScopeRefusal(token: VerifiedToken, error: BearerError): void {
    if (token instanceof AcceptedToken) {
      token.#reporter.reportScopeRefusal(error, token, token.#context);
    }
  }
}
