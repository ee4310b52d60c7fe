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

// The three segments of a compact JWS, and whether one pass already checked all their characters.
function segments(
  token: string,
): [header: string, payload: string, signature: string, checked: boolean] {
  // Nearly every token: exactly three segments of base64url characters, checked in one pass.
  if (COMPACT_JWS.test(token)) {
    const first = token.indexOf('.');
    const last = token.indexOf('.', first + 1);
    return [token.slice(0, first), token.slice(first + 1, last), token.slice(last + 1), true];
  }
  const parts = token.split('.');
  // Five base64url parts is a JWE (RFC 7516 §7.1; JSON text with four dots is not): an encrypted
  // token is not an access token we can verify.
  if (parts.length === 5 && parts.every((part) => BASE64URL.test(part))) {
    throw new BearerError('unsupported_token_type', {
      description: 'Encrypted tokens are not accepted',
    });
  }
  if (parts.length !== 3) throw malformed('The token does not have three parts');
  return [parts[0] as string, parts[1] as string, parts[2] as string, false];
}

// Both parsers build the same object in one go; `claims` is decoded only for a JWT.
function parse(token: unknown, maxLength: number, jwt: boolean): ParsedToken {
  if (typeof token !== 'string' || token.length === 0) throw malformed('The token is empty');
  if (token.length > maxLength) throw malformed('The token is too long');
  const [headerPart, payloadPart, signaturePart, checked] = segments(token);
  const header = decodeHeader(headerPart);
  const payload = decodeSegment(payloadPart, 'payload', checked);
  const signature = decodeSegment(signaturePart, 'signature', checked);
  return {
    raw: token,
    header,
    payload,
    signingInput: token.slice(0, headerPart.length + payloadPart.length + 1),
    signature,
    claims: (jwt ? decodeJsonObject(payload, 'payload') : undefined) as TokenClaims,
  };
}

/**
 * Splits a compact JWS (RFC 7515 §7.1) and decodes its three segments, refusing anything that is
 * not exactly three canonically encoded parts with a JSON object header naming an `alg`.
 * The payload is left as bytes. Trusts nothing: the signature is not checked here.
 */
export function parseJws(token: unknown, maxLength: number): ParsedJws {
  return parse(token, maxLength, false);
}

/**
 * Parses a compact JWS whose payload must be a JWT claims set (a JSON object). Trusts nothing:
 * the signature is not checked here.
 */
export function parseToken(token: unknown, maxLength: number): ParsedToken {
  return parse(token, maxLength, true);
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
