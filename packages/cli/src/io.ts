/** A stream the CLI writes to. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The stream the CLI reads tokens and the prompted secret from. */
export interface Input extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding?(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

/** Everything the CLI touches, so that it can run in-process in tests. */
export interface Io {
  stdout: Output;
  stderr: Output;
  stdin: Input;
  env: Record<string, string | undefined>;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
}

/** The process's own streams, environment and clock. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    now: Date.now,
  };
}

/** Exit codes: 0 done, 1 refused or failed, 2 a usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how the command was called; exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure already explained to the user; exits 1. */
export class FailedError extends Error {
  override readonly name = 'FailedError';
}
