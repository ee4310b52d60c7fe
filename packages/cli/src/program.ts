import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerInspect } from './commands/inspect';
import { registerToken } from './commands/token';
import { registerVerify } from './commands/verify';
import { EXIT, FailedError, UsageError, type Io } from './io';
import { styleFor } from './style';

// The same path from src/ (tests) and dist/ (the installed command).
const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  version: string;
};

function program(io: Io, done: (code: number) => void): Command {
  const root = new Command('bearerguard')
    .description('Get, inspect and verify OAuth 2.0 bearer access tokens (JWTs).')
    .version(version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerToken(root, io, done);
  registerInspect(root, io, done);
  registerVerify(root, io, done);
  return root;
}

// Commander ends with an error for help and --version too; those are successes.
function commanderExit(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
    return EXIT.ok;
  }
  return EXIT.usage;
}

/**
 * Runs the `bearerguard` command with `argv` (the arguments after the program name) and
 * resolves to its exit code: 0 done, 1 refused or failed, 2 a usage error.
 *
 * @example
 * process.exitCode = await run(process.argv.slice(2));
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await program(io, (result) => (code = result)).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err);
    const style = styleFor(io.stderr, io.env);
    if (err instanceof UsageError) {
      io.stderr.write(`${style.bad('error:')} ${err.message}\n(run with --help for usage)\n`);
      return EXIT.usage;
    }
    if (err instanceof FailedError) return EXIT.failed;
    // Unexpected: say what, not where; the stack would only repeat internals.
    io.stderr.write(`${style.bad('error:')} ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failed;
  }
}
