/** A token split and decoded without checking anything. */
export interface UntrustedToken {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decodeObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    const ok = typeof value === 'object' && value !== null && !Array.isArray(value);
    return ok ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a compact JWS's header and claims for display. Trusts nothing and checks nothing
 * beyond the shape: the verifier is the judge. Undefined when it is not three decodable parts.
 */
export function decodeUntrusted(token: string): UntrustedToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeObject(parts[0] as string);
  const claims = decodeObject(parts[1] as string);
  return header && claims ? { header, claims } : undefined;
}

/** Why a string is not a decodable JWT, in one phrase. */
export function whyNotJwt(token: string): string {
  const parts = token.split('.').length;
  if (parts === 5) return 'it is an encrypted token (JWE): its claims cannot be read';
  if (parts !== 3) return `it has ${parts} part${parts === 1 ? '' : 's'}, not 3`;
  return 'its header or claims are not base64url-encoded JSON objects';
}
