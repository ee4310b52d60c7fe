// Shared by the dev-issuer tests; not a test file itself.

/** An RFC 6749 §2.3.1 Basic header: id and secret form-urlencoded, then base64. */
export function basicAuth(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  const pair = `${encode(clientId)}:${encode(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** Seconds since the epoch, as JWT times are written. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The RFC 4122 shape of `crypto.randomUUID()`. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
