import type { Command } from 'commander';
import { readToken } from '../input';
import { EXIT, FailedError, type Io } from '../io';
import { decodeUntrusted, whyNotJwt, type UntrustedToken } from '../jwt';
import { json, safeText, showValue, styleFor, table, type Style } from '../style';
import { humanTime, TIME_CLAIMS, type HumanTime, type TimeClaim } from '../time';

const HELP = `
Nothing is verified: anyone can write any claims into a token. Use "bearerguard verify" to check
the signature, the issuer, the audience and the times.

Examples:
  $ bearerguard inspect eyJhbGciOi…
  $ pbpaste | bearerguard inspect -
  $ bearerguard inspect - --json < token.txt
`;

function times(claims: Record<string, unknown>, nowMs: number) {
  const found: Partial<Record<TimeClaim, HumanTime>> = {};
  for (const name of TIME_CLAIMS) {
    const human = humanTime(name, claims[name], nowMs);
    if (human) found[name] = human;
  }
  return found;
}

function claimRows(claims: Record<string, unknown>, nowMs: number, style: Style) {
  const human = times(claims, nowMs);
  const rows: [string, string][] = [];
  for (const [name, value] of Object.entries(claims)) {
    const time = human[name as TimeClaim];
    const shown = time ? `${time.date}  ${style.dim(`(${time.relative})`)}` : showValue(value);
    rows.push([safeText(name), shown]);
  }
  return rows;
}

function describe({ header, claims }: UntrustedToken, io: Io): string {
  const style = styleFor(io.stdout, io.env);
  const headerRows = Object.entries(header).map(([k, v]) => [safeText(k), showValue(v)] as const);
  return [
    `${style.bold('Header')} ${style.dim('(not verified)')}\n`,
    table(headerRows, '  '),
    `${style.bold('Claims')} ${style.dim('(not verified)')}\n`,
    table(claimRows(claims, io.now(), style), '  '),
    style.dim('The signature was not checked: run "bearerguard verify" for that.\n'),
  ].join('');
}

async function runInspect(argument: string, options: { json?: boolean }, io: Io) {
  const token = await readToken(argument, io);
  const decoded = decodeUntrusted(token);
  if (!decoded) {
    const style = styleFor(io.stderr, io.env);
    io.stderr.write(`${style.bad('✗')} Not a signed JWT: ${whyNotJwt(token)}\n`);
    throw new FailedError('Not a signed JWT');
  }
  if (options.json) {
    const { header, claims } = decoded;
    io.stdout.write(json({ verified: false, header, claims, times: times(claims, io.now()) }));
  } else {
    io.stdout.write(describe(decoded, io));
  }
  return EXIT.ok;
}

/** `bearerguard inspect`: a token's header and claims, decoded without trusting them. */
export function registerInspect(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('inspect')
    .summary("decode a token's header and claims, without verifying them")
    .description("Decode a JWT's header and claims, with its times in human form. Trusts nothing.")
    .argument('<token>', 'the token, or - to read it from standard input')
    .option('--json', 'print header, claims and times as JSON')
    .addHelpText('after', HELP)
    .action(async (token: string, options: { json?: boolean }) =>
      done(await runInspect(token, options, io)),
    );
}
