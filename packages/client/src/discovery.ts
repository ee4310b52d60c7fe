import { TokenRequestError } from './errors';
import { endpointLabel, exchange, transientStatusError, type HttpSettings } from './http';
import { isSafeUrl } from './options';

/** What discovery needs: HTTP settings, the URL policy and the clock. */
export interface DiscoverySettings extends HttpSettings {
  allowInsecureHttp: boolean;
  now: () => number;
}

// OpenID Connect Discovery 1.0 §4 appends the well-known path to the issuer; RFC 8414 §3 inserts
// it between the host and the issuer's path.
function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
}

function invalidMetadata(label: string, what: string): TokenRequestError {
  return new TokenRequestError('invalid_metadata', `The metadata at ${label} ${what}`);
}

// RFC 8414 §3.3: the document must name the issuer it was asked for, or it could send the
// client's credentials to someone else's token endpoint.
function tokenEndpointOf(document: unknown, issuer: string, label: string, insecure: boolean) {
  if (typeof document !== 'object' || document === null) {
    throw invalidMetadata(label, 'is not a JSON object');
  }
  const metadata = document as Record<string, unknown>;
  if (metadata.issuer !== issuer) throw invalidMetadata(label, 'names another issuer');
  const endpoint = metadata.token_endpoint;
  if (typeof endpoint !== 'string') throw invalidMetadata(label, 'has no token_endpoint');
  if (!isSafeUrl(endpoint, insecure)) {
    throw invalidMetadata(label, 'names a token_endpoint that is not https');
  }
  return endpoint;
}

/**
 * Finds the issuer's `token_endpoint` from its metadata. A transient failure is thrown for the
 * caller to retry; a missing document falls back on the next well-known location.
 */
export async function discoverTokenEndpoint(
  issuer: string,
  settings: DiscoverySettings,
): Promise<string> {
  let lastError: TokenRequestError | undefined;
  for (const url of metadataUrls(issuer)) {
    const label = endpointLabel(url);
    const answer = await exchange(url, { headers: { accept: 'application/json' } }, settings);
    const transient = transientStatusError(answer, label, settings.now());
    if (transient) throw transient;
    if (answer.status !== 200) {
      lastError = invalidMetadata(label, `could not be read (HTTP ${answer.status})`);
      continue;
    }
    return tokenEndpointOf(answer.json, issuer, label, settings.allowInsecureHttp);
  }
  throw lastError;
}
