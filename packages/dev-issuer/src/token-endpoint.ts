import type { Request, Response } from 'express';
import { authenticateClient, authorizationHeader, readClientCredentials } from './client-auth';
import { readForm, type FormParams } from './form';
import type { KeyRing } from './keys';
import { mintToken } from './mint';
import { OAuthError } from './oauth-error';
import type { DevClient, ResolvedOptions } from './options';

/** What the token endpoint needs from the issuer. */
export interface TokenEndpointContext {
  issuer: string;
  keys: KeyRing;
  options: ResolvedOptions;
}

/**
 * The `POST /oauth/token` handler for the `client_credentials` grant (RFC 6749 §4.4). It throws
 * {@link OAuthError}s; the server's error handler turns them into RFC 6749 §5.2 answers.
 */
export function createTokenEndpoint(context: TokenEndpointContext) {
  const { issuer, keys, options } = context;

  return async function tokenEndpoint(req: Request, res: Response): Promise<void> {
    const form = readForm(req);
    const credentials = readClientCredentials(authorizationHeader(req.rawHeaders), form);
    const grantType = form.get('grant_type');
    if (grantType === undefined) {
      throw new OAuthError('invalid_request', 400, 'grant_type is required');
    }

    const client = authenticateClient(options.clients, credentials);
    if (grantType !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 400, 'only client_credentials is supported');
    }

    const scopes = grantedScopes(client, form.get('scope'));
    checkAudience(form, options.audience);

    const { tokenTtlSeconds, audience } = options;
    const token = await mintToken(keys, { issuer, audience, tokenTtlSeconds, client, scopes });
    // RFC 6749 §5.1: token responses must not be cached.
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: tokenTtlSeconds,
      scope: scopes.length > 0 ? scopes.join(' ') : undefined,
    });
  };
}

/**
 * The requested scopes, each of which the client must hold; all of them when none is asked (no
 * scope parameter, or an empty one). A parameter of spaces only names no scope and is refused.
 */
export function grantedScopes(client: DevClient, requested: string | undefined): string[] {
  if (requested === undefined) {
    return [...client.scopes];
  }

  // RFC 6749 §3.3: a space-delimited list; order carries no meaning, repeats add nothing.
  const asked = [...new Set(requested.split(' ').filter((scope) => scope !== ''))];
  if (asked.length === 0 && requested !== '') {
    throw new OAuthError('invalid_scope', 400, 'the scope parameter names no scope');
  }
  if (!asked.every((scope) => client.scopes.includes(scope))) {
    throw new OAuthError('invalid_scope', 400, 'a requested scope is not allowed for this client');
  }

  return asked.length > 0 ? asked : [...client.scopes];
}

/**
 * Accepts `audience` (as Auth0 and others spell it) or `resource` (RFC 8707) only when it names
 * the one configured audience: this issuer mints tokens for a single API.
 */
function checkAudience(form: FormParams, audience: string): void {
  for (const name of ['audience', 'resource']) {
    const value = form.get(name);
    if (value !== undefined && value !== audience) {
      throw new OAuthError('invalid_target', 400, `the only audience offered is ${audience}`);
    }
  }
}
