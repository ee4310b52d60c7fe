import type { Io, Output } from './io';

/** Text styles; identity functions when colour is off. */
export interface Style {
  ok(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const paint = (open: number, close: number) => (text: string) =>
  `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

// https://no-color.org and the FORCE_COLOR convention; otherwise colour only on a terminal.
function wantsColour(stream: Output, env: Io['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

/** The styles for `stream`: ANSI colours on a terminal, plain text elsewhere. */
export function styleFor(stream: Output, env: Io['env']): Style {
  if (!wantsColour(stream, env)) return { ok: plain, bad: plain, dim: plain, bold: plain };
  return { ok: paint(32, 39), bad: paint(31, 39), dim: paint(2, 22), bold: paint(1, 22) };
}

// C0 and C1 controls (escape sequences), line separators and bidi overrides: a token's claims
// are anyone's text, and must not move the cursor or reorder what the terminal shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text from outside (claims, headers), made safe to print on a terminal. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Any JSON value as one safe line: strings as they are, anything else as JSON. */
export function showValue(value: unknown): string {
  return safeText(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Rows of `label  value`, the labels padded to one width. */
export function table(rows: readonly (readonly [string, string])[], indent = ''): string {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}\n`).join('');
}

/** Pretty JSON and a newline, as `--json` prints. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
