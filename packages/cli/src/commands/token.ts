import { requestToken, TokenRequestError, type TokenResponse } from '@bearerguard/client';
import { Option, type Command } from 'commander';
import { readSecret, DEFAULT_SECRET_ENV } from '../input';
import { EXIT, FailedError, UsageError, type Io } from '../io';
import { collect } from '../options';
import { json, showValue, styleFor, table } from '../style';
import { describeExpiry } from '../time';

interface TokenOptions {
  issuer?: string;
  tokenEndpoint?: string;
  clientId: string;
  clientSecretEnv: string;
  scope?: string[];
  audience?: string;
  authMethod: 'basic' | 'post';
  json?: boolean;
}

const HELP = `
The client secret is read from the environment variable ${DEFAULT_SECRET_ENV} (name another
with --client-secret-env), or asked for on the terminal; never from the command line.

Examples:
  $ export ${DEFAULT_SECRET_ENV}=…
  $ bearerguard token --issuer https://auth.example.com --client-id reporter --scope alerts:read
  $ bearerguard token --issuer https://auth.example.com --client-id reporter --json \\
      | bearerguard verify - --issuer https://auth.example.com --audience https://api.example.com
`;

function describe(response: TokenResponse, io: Io): string {
  const { accessToken, tokenType, expiresIn, scope, body } = response;
  const rows: [string, string][] = [
    ['access_token', accessToken],
    ['token_type', tokenType],
  ];
  if (expiresIn !== undefined) {
    const relative = describeExpiry(io.now() / 1000 + expiresIn, io.now() / 1000);
    rows.push(['expires_in', `${expiresIn} s (${relative})`]);
  }
  if (scope !== undefined) rows.push(['scope', showValue(scope)]);
  const known = new Set(['access_token', 'token_type', 'expires_in', 'scope']);
  for (const [name, value] of Object.entries(body)) {
    if (!known.has(name)) rows.push([showValue(name), showValue(value)]);
  }
  return table(rows);
}

function hint(error: TokenRequestError, options: TokenOptions): string {
  if (error.code === 'invalid_client') {
    return `Check the client id and the secret in ${options.clientSecretEnv}.`;
  }
  if (error.code === 'invalid_scope') return 'Ask for scopes this client may have.';
  if (error.transient) return 'The server could not answer; try again later.';
  return '';
}

async function runToken(options: TokenOptions, io: Io): Promise<number> {
  const { issuer, tokenEndpoint } = options;
  if ((issuer === undefined) === (tokenEndpoint === undefined)) {
    throw new UsageError('Give --issuer or --token-endpoint (one of them)');
  }
  const clientSecret = await readSecret(options.clientSecretEnv, options.clientId, io);
  let response: TokenResponse;
  try {
    response = await requestToken({
      ...(issuer === undefined ? { tokenEndpoint } : { issuer }),
      clientId: options.clientId,
      clientSecret,
      scope: options.scope,
      audience: options.audience,
      authMethod: options.authMethod === 'post' ? 'client_secret_post' : 'client_secret_basic',
    });
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message);
    if (!(err instanceof TokenRequestError)) throw err;
    const style = styleFor(io.stderr, io.env);
    io.stderr.write(`${style.bad('✗')} ${err.message}\n`);
    const advice = hint(err, options);
    if (advice) io.stderr.write(`  ${advice}\n`);
    throw new FailedError(err.message);
  }
  io.stdout.write(options.json ? json(response.body) : describe(response, io));
  return EXIT.ok;
}

/** `bearerguard token`: a client-credentials token, as `curl -u id:secret` would get it. */
export function registerToken(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('token')
    .summary('get an access token with the client credentials grant')
    .description('Ask an authorization server for an access token (client_credentials grant).')
    .option('--issuer <url>', 'the issuer, whose token endpoint is discovered')
    .option('--token-endpoint <url>', 'the token endpoint, instead of --issuer')
    .requiredOption('--client-id <id>', 'the client id')
    .option('--client-secret-env <var>', 'the variable holding the secret', DEFAULT_SECRET_ENV)
    .option('--scope <scope>', 'a scope to ask for (repeatable, or space-separated)', collect)
    .option('--audience <aud>', 'the API the token is for (sent as "audience")')
    .addOption(
      new Option('--auth-method <method>', 'send the credentials by HTTP Basic or in the body')
        .choices(['basic', 'post'])
        .default('basic'),
    )
    .option('--json', 'print the token response as JSON')
    .addHelpText('after', HELP)
    .action(async (options: TokenOptions) => done(await runToken(options, io)));
}
