import {
  BearerError,
  checkScopes,
  createVerifier,
  type Verifier,
  type VerifiedToken,
} from '@bearerguard/core';
import { InvalidArgumentError, type Command } from 'commander';
import { deriveChecks, type Check, type Expected } from '../checks';
import { readToken } from '../input';
import { EXIT, UsageError, type Io } from '../io';
import { decodeUntrusted } from '../jwt';
import { append, collect } from '../options';
import { json, safeText, styleFor, type Style } from '../style';

interface VerifyOptions {
  issuer: string;
  audience: string[];
  scope?: string[];
  jwksUri?: string;
  strict?: boolean;
  clockTolerance?: number;
  json?: boolean;
}

const HELP = `
Runs the same verifier as the API (@bearerguard/core): the keys come from the issuer's JWKS,
found through its metadata unless --jwks-uri is given. Each check is printed with ✓ or ✗; the
first failure is the reason an API answers 401 (or 403 for scopes). Exits 1 when refused.

Examples:
  $ bearerguard verify "$TOKEN" --issuer https://auth.example.com --audience https://api.example.com
  $ bearerguard verify - --issuer https://auth.example.com --audience https://api.example.com \\
      --scope alerts:read --json < token.txt
`;

const MARKS = { pass: '✓', fail: '✗', not_reached: '–', skipped: '–' } as const;

function seconds(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError('a whole number of seconds');
  }
  return parsed;
}

function makeVerifier(options: VerifyOptions, io: Io): Verifier {
  try {
    return createVerifier({
      issuer: options.issuer,
      audience: options.audience,
      jwksUri: options.jwksUri,
      strict: options.strict === true,
      clockTolerance: options.clockTolerance,
      now: io.now,
    });
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message);
    throw err;
  }
}

async function verdict(verifier: Verifier, token: string, scopes: string[]) {
  try {
    const verified: VerifiedToken = await verifier.verify(token);
    checkScopes(verified, scopes);
    return undefined;
  } catch (err) {
    if (err instanceof BearerError) return err;
    throw err;
  }
}

function line(check: Check, style: Style, width: number): string {
  const paint =
    check.status === 'pass' ? style.ok : check.status === 'fail' ? style.bad : style.dim;
  const detail = safeText(check.detail);
  const shown =
    check.status === 'not_reached' || check.status === 'skipped' ? style.dim(detail) : detail;
  return `${paint(MARKS[check.status])} ${check.label.padEnd(width)}  ${shown}\n`;
}

function summary(error: BearerError | undefined, style: Style): string {
  if (!error) return `${style.ok('Accepted:')} an API with this issuer and audience accepts it.\n`;
  const answer = error.error ? `${error.status} with error="${error.error}"` : `${error.status}`;
  const head = error.status >= 500 ? 'Could not verify' : 'Refused';
  const why = `${error.description}. An API answers ${answer}.`;
  return `${style.bad(`${head} (${error.code}):`)} ${why}\n`;
}

function report(checks: Check[], error: BearerError | undefined, io: Io): string {
  const style = styleFor(io.stdout, io.env);
  const width = Math.max(...checks.map((c) => c.label.length));
  return checks.map((c) => line(c, style, width)).join('') + '\n' + summary(error, style);
}

async function runVerify(argument: string, options: VerifyOptions, io: Io): Promise<number> {
  const verifier = makeVerifier(options, io);
  const token = await readToken(argument, io);
  const scopes = options.scope ?? [];
  const error = await verdict(verifier, token, scopes);
  const decoded = decodeUntrusted(token);
  const expected: Expected = {
    issuer: options.issuer,
    audience: options.audience,
    scopes,
    strict: options.strict === true,
  };
  const checks = deriveChecks({ token: decoded, error, expected, nowMs: io.now() });
  if (options.json) {
    const refusal = error && { status: error.status, error: error.error ?? null };
    io.stdout.write(
      json({
        valid: error === undefined,
        reason: error?.code ?? null,
        description: error?.description ?? null,
        ...refusal,
        checks,
        header: decoded?.header ?? null,
        claims: decoded?.claims ?? null,
      }),
    );
  } else {
    io.stdout.write(report(checks, error, io));
  }
  return error ? EXIT.failed : EXIT.ok;
}

/** `bearerguard verify`: the real verifier, explained one check at a time. */
export function registerVerify(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('verify')
    .summary('verify a token as the API would, and say which check fails')
    .description(
      'Verify a token with the bearerguard verifier, printing each check and its result.',
    )
    .argument('<token>', 'the token, or - to read it from standard input')
    .requiredOption('--issuer <url>', 'the trusted issuer, compared exactly with iss (required)')
    .requiredOption('--audience <aud>', 'an accepted audience (required; repeatable)', append)
    .option('--scope <scope>', 'a required scope (repeatable, or space-separated)', collect)
    .option('--jwks-uri <url>', "the issuer's JWKS, instead of discovering it")
    .option('--strict', 'the RFC 9068 profile: typ at+jwt; iat, sub, client_id, jti required')
    .option('--clock-tolerance <seconds>', 'leeway for exp, nbf and iat (default 5)', seconds)
    .option('--json', 'print the checks and the verdict as JSON')
    .addHelpText('after', HELP)
    .action(async (token: string, options: VerifyOptions) =>
      done(await runVerify(token, options, io)),
    );
}
