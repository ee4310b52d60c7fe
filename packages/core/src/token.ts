import { isUtf8 } from 'node:buffer';
import { BearerError } from './errors';
import type { TokenClaims, TokenHeader } from './types';

/** A compact JWS split and decoded, its payload still bytes. Nothing in it is trusted yet. */
export interface ParsedJws {
  raw: string;
  header: TokenHeader;
  /** The payload bytes; a JWT's claims are parsed from them by {@link parseToken}. */
  payload: Buffer;
  /** `base64url(header) '.' base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** A compact JWS whose payload is a JSON object (a JWT claims set), not yet trusted. */
export interface ParsedToken extends ParsedJws {
  claims: TokenClaims;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
// The shape of nearly every token, checked in one pass; anything else takes the detailed path.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Bits of the final character that carry no data, by segment length modulo 4.
const UNUSED_BITS = [0, 0, 0x0f, 0x03];

function malformed(description: string): BearerError {
  return new BearerError('malformed_token', { description });
}

// RFC 7515 §2 and RFC 8725 §3.11: base64url without padding or whitespace, and canonical, i.e.
// the unused bits of the final character are zero. Node's decoder skips characters it does not
// know and ignores those bits, so nothing reaches it unchecked.
function decodeSegment(segment: string, name: string, checked = false): Buffer {
  const rest = segment.length % 4;
  if ((!checked && !BASE64URL.test(segment)) || rest === 1) {
    throw malformed(`The token ${name} is not base64url`);
  }
  const last = ALPHABET.indexOf(segment.charAt(segment.length - 1));
  if (rest !== 0 && (last & (UNUSED_BITS[rest] as number)) !== 0) {
    throw malformed(`The token ${name} is not canonical base64url`);
  }
  return Buffer.from(segment, 'base64url');
}

// RFC 7515 §5.2 and RFC 7519 §7.2: the header and the claims are UTF-8 JSON objects.
function decodeJsonObject(bytes: Buffer, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    if (!isUtf8(bytes)) throw new Error('not UTF-8');
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed(`The token ${name} is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The token ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

// An issuer signs every token with one of a few headers: each is decoded once. The memo is small,
// holds only headers that decoded well, and hands out frozen objects.
const HEADER_MEMO_SIZE = 64;
const headers = new Map<string, TokenHeader>();

function decodeHeader(segment: string): TokenHeader {
  const known = headers.get(segment);
  if (known) return known;
  const header = decodeJsonObject(decodeSegment(segment, 'header'), 'header');
  if (typeof header.alg !== 'string') throw malformed('The token header has no algorithm');
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw malformed('The token key id is not a string');
  }
  if (headers.size >= HEADER_MEMO_SIZE) headers.delete(headers.keys().next().value as string);
  headers.set(segment, Object.freeze(header) as TokenHeader);
  return header as TokenHeader;
}

/**
 * Splits a compact JWS (RFC 7515 §7.1) and decodes its three segments, refusing anything that is
 * not exactly three canonically encoded parts with a JSON object header naming an `alg`.
 * The payload is left as bytes. Trusts nothing: the signature is not checked here.
 */
export function parseJws(token: unknown, maxLength: number): ParsedJws {
  if (typeof token !== 'string' || token.length === 0) throw malformed('The token is empty');
  if (token.length > maxLength) throw malformed('The token is too long');

  const parts = token.split('.');
  // Five base64url parts is a JWE (RFC 7516 §7.1; JSON text with four dots is not): an encrypted
  // token is not an access token we can verify.
  if (parts.length === 5 && parts.every((part) => BASE64URL.test(part))) {
    throw new BearerError('unsupported_token_type', {
      description: 'Encrypted tokens are not accepted',
    });
  }
  if (parts.length !== 3) throw malformed('The token does not have three parts');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  // One pass checked every character; the segments' own checks then only look at their ends.
  const checked = COMPACT_JWS.test(token);
  return {
    raw: token,
    header: decodeHeader(headerPart),
    payload: decodeSegment(payloadPart, 'payload', checked),
    signingInput: token.slice(0, headerPart.length + payloadPart.length + 1),
    signature: decodeSegment(signaturePart, 'signature', checked),
  };
}

/**
 * Parses a compact JWS whose payload must be a JWT claims set (a JSON object). Trusts nothing:
 * the signature is not checked here.
 */
export function parseToken(token: unknown, maxLength: number): ParsedToken {
  const jws = parseJws(token, maxLength);
  return { ...jws, claims: decodeJsonObject(jws.payload, 'payload') as TokenClaims };
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
