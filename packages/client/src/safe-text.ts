// RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E; anything else is dropped.
const UNPRINTABLE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/g;
const MAX_LENGTH = 200;

/**
 * The server's `error_description`, safe to put in a message or a log: the client secret
 * redacted (a careless server might echo it), then only RFC 6749 characters, at most 200.
 */
export function safeDescription(raw: unknown, secret: string): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const redacted = raw.split(secret).join('[redacted]');
  const text = redacted.replace(UNPRINTABLE, '').split(secret).join('[redacted]').trim();
  if (text === '') return undefined;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}
