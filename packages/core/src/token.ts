import { BearerError } from './errors';
import type { TokenClaims, TokenHeader } from './types';

/** A compact JWS split and decoded, but not yet trusted. */
export interface ParsedToken {
  raw: string;
  header: TokenHeader;
  claims: TokenClaims;
  /** `base64url(header) '.' base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function malformed(description: string): BearerError {
  return new BearerError('malformed_token', { description });
}

// RFC 7515 §2 / RFC 8725 §3.11: base64url without padding or whitespace, and canonical, i.e.
// the unused bits of the final character are zero (checked by a round trip).
function decodeSegment(segment: string, name: string): Buffer {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) {
    throw malformed(`The token ${name} is not base64url`);
  }
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw malformed(`The token ${name} is not canonical base64url`);
  }
  return bytes;
}

function decodeJsonObject(segment: string, name: string): Record<string, unknown> {
  const text = decodeSegment(segment, name).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(`The token ${name} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The token ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Splits a compact JWS and decodes its header and claims, refusing anything that is not exactly
 * a three-part, canonically encoded JWT. Trusts nothing: the signature is not checked here.
 */
export function parseToken(token: unknown, maxLength: number): ParsedToken {
  if (typeof token !== 'string' || token.length === 0) throw malformed('The token is empty');
  if (token.length > maxLength) throw malformed('The token is too long');

  const parts = token.split('.');
  // Five parts is a JWE (RFC 7516): an encrypted token is not an access token we can verify.
  if (parts.length === 5) {
    throw new BearerError('unsupported_token_type', {
      description: 'Encrypted tokens are not accepted',
    });
  }
  if (parts.length !== 3) throw malformed('The token does not have three parts');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decodeJsonObject(headerPart, 'header');
  if (typeof header.alg !== 'string') throw malformed('The token header has no algorithm');
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw malformed('The token key id is not a string');
  }

  return {
    raw: token,
    header: header as TokenHeader,
    claims: decodeJsonObject(payloadPart, 'payload') as TokenClaims,
    signingInput: `${headerPart}.${payloadPart}`,
    signature: decodeSegment(signaturePart, 'signature'),
  };
}

/**
 * Decodes a token's header and claims without verifying anything, for events and diagnostics.
 * Returns undefined when the token cannot be decoded.
 */
export function decodeUntrusted(token: string, maxLength: number): ParsedToken | undefined {
  try {
    return parseToken(token, maxLength);
  } catch {
    return undefined;
  }
}
