import { fetchJson, checkUrl, KeySourceError, type FetchLimits } from './fetch-json';

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

/**
 * Finds the issuer's `jwks_uri` from its metadata, checking that the document names this issuer
 * exactly (a document for another issuer could point at an attacker's keys).
 */
export async function discoverJwksUri(issuer: string, limits: FetchLimits): Promise<string> {
  const errors: unknown[] = [];
  for (const url of metadataUrls(issuer)) {
    try {
      return await jwksUriFrom(url, issuer, limits);
    } catch (err) {
      // A slow or unreachable host would only be slow again: fall back on a wrong answer alone.
      if (err instanceof KeySourceError && ['timeout', 'network'].includes(err.code)) throw err;
      errors.push(err);
    }
  }
  // A document that is there but wrong says more than one that is missing (an HTTP error).
  throw errors.find((err) => (err as KeySourceError).code !== 'http_status') ?? errors[0];
}

async function jwksUriFrom(url: string, issuer: string, limits: FetchLimits): Promise<string> {
  const metadata = await fetchJson(url, limits);
  if (metadata.issuer !== issuer) {
    throw new KeySourceError('issuer_mismatch', 'The metadata names another issuer');
  }

  if (typeof metadata.jwks_uri !== 'string') {
    throw new KeySourceError('bad_document', 'The metadata has no jwks_uri');
  }

  checkUrl(metadata.jwks_uri, limits.allowInsecureHttp);
  return metadata.jwks_uri;
}
