import { FailedError, UsageError, type Input, type Io } from './io';

// Far above any real token (the core refuses more than 8 KiB), low enough to stop a runaway pipe.
const MAX_STDIN_BYTES = 1024 * 1024;

async function readAll(stdin: Input): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > MAX_STDIN_BYTES) throw new UsageError('The standard input is too long for a token');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Accepts what people paste: the bare token, an `Authorization` value (`Bearer …`), or the JSON
// that `bearerguard token --json` prints.
function normalize(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const { access_token } = JSON.parse(trimmed) as { access_token?: unknown };
      if (typeof access_token === 'string') return access_token;
    } catch {
      // Not JSON after all: the verifier will say what is wrong with it.
    }
  }
  return trimmed.replace(/^bearer\s+/i, '');
}

/** The token named by the TOKEN argument: the argument itself, or standard input for `-`. */
export async function readToken(argument: string, io: Io): Promise<string> {
  const token = normalize(argument === '-' ? await readAll(io.stdin) : argument);
  if (token === '') throw new UsageError('No token given');
  return token;
}

/** The environment variable that holds the client secret when none is named. */
export const DEFAULT_SECRET_ENV = 'BEARERGUARD_CLIENT_SECRET';

/**
 * Reads a line from a terminal without echoing it. Raw mode hands over every key: Enter ends
 * the line, Backspace edits it, Ctrl-C cancels.
 */
function promptHidden(question: string, io: Io): Promise<string> {
  const { stdin, stderr } = io;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause?.();
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new FailedError('Cancelled'));
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.setEncoding?.('utf8');
    stdin.on('data', onData);
    stdin.resume?.();
  });
}

/**
 * The client secret: from the environment variable `name`, else asked on the terminal. Never
 * from the command line, where `ps` and the shell history would keep it.
 */
export async function readSecret(name: string, clientId: string, io: Io): Promise<string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new UsageError(`"${name}" is not an environment variable name`);
  }
  const fromEnv = io.env[name];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY !== true || typeof io.stdin.setRawMode !== 'function') {
    throw new UsageError(
      `No client secret: set ${name}` +
        (name === DEFAULT_SECRET_ENV
          ? ' (or name another variable with --client-secret-env)'
          : '') +
        ', or run in a terminal to be asked for it',
    );
  }
  const secret = await promptHidden(`Client secret for ${clientId}: `, io);
  if (secret === '') throw new UsageError('No client secret given');
  return secret;
}
