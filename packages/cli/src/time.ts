// Whole units, rounded down: "expires in 4 min" while 4 min 50 s remain.
function duration(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

/** "expires in 12 min" or "expired 3 h ago" (expired when now reaches `exp`, as in the core). */
export function describeExpiry(exp: number, nowSeconds: number): string {
  const left = exp - nowSeconds;
  return left > 0 ? `expires in ${duration(left)}` : `expired ${duration(left)} ago`;
}

/** "issued 2 min ago", or "issued 5 min in the future". */
export function describeIssued(iat: number, nowSeconds: number): string {
  const age = nowSeconds - iat;
  return age >= 0 ? `issued ${duration(age)} ago` : `issued ${duration(age)} in the future`;
}

/** "valid since 2 min ago", or "not valid for another 5 min". */
export function describeNotBefore(nbf: number, nowSeconds: number): string {
  const wait = nbf - nowSeconds;
  return wait > 0 ? `not valid for another ${duration(wait)}` : `valid since ${duration(wait)} ago`;
}

const DESCRIBE = { exp: describeExpiry, iat: describeIssued, nbf: describeNotBefore } as const;

/** The names of the JWT time claims (RFC 7519 §4.1), in the order they are shown. */
export const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;
export type TimeClaim = (typeof TIME_CLAIMS)[number];

/** A time claim in human form: its UTC date and how it relates to now. */
export interface HumanTime {
  date: string;
  relative: string;
}

/** A time claim for people; undefined when it is not a NumericDate a Date can hold. */
export function humanTime(name: TimeClaim, value: unknown, nowMs: number): HumanTime | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { date: iso, relative: DESCRIBE[name](value, Math.floor(nowMs / 1000)) };
}
