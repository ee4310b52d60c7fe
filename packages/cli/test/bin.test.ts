// The `bearerguard` command run as users run it: node on the built JavaScript, in a child process.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const SECRET = 'cli-secret-e4b7a1';
const AUDIENCE = 'https://alerts.example.test';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let issuer: DevIssuer;

beforeAll(async () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [
    tsc,
    '-b',
    join(ROOT, 'packages/cli/tsconfig.json'),
  ]);
  issuer = await startDevIssuer({
    clients: [
      { clientId: 'reporter', clientSecret: SECRET, scopes: ['alerts:read', 'alerts:write'] },
    ],
    audience: AUDIENCE,
  });
}, 120_000);
afterAll(() => issuer?.close());

/** Runs the command with only the given environment, `input` on its standard input. */
function cli(args: string[], env: Record<string, string> = {}, input = ''): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const withSecret = { BEARERGUARD_CLIENT_SECRET: SECRET };
const tokenArgs = ['token', '--issuer', '', '--client-id', 'reporter'];
const verifyArgs = () => ['--issuer', issuer.issuer, '--audience', AUDIENCE];
const now = () => Math.floor(Date.now() / 1000);

function expectNoSecret(result: Result): void {
  expect(result.stdout + result.stderr).not.toContain(SECRET);
}

beforeEach(() => {
  tokenArgs[2] = issuer.issuer;
});

describe('bearerguard', () => {
  it.each(['token', 'inspect', 'verify'])('explains the %s command with --help', async (name) => {
    const result = await cli([name, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: bearerguard ${name}`);
    expect(result.stdout).toContain('Examples:');
  });

  it('lists its commands, and exits 2 when given none', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/token[\s\S]*inspect[\s\S]*verify/);
    expect((await cli(['nonsense'])).code).toBe(2);
  });
});

describe('bearerguard token', () => {
  it('prints a token response, with the secret from BEARERGUARD_CLIENT_SECRET', async () => {
    const result = await cli([...tokenArgs, '--scope', 'alerts:read'], withSecret);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^access_token {2}eyJ/);
    expect(result.stdout).toContain('token_type    Bearer');
    expect(result.stdout).toMatch(/expires_in +300 s \(expires in [45] min\)/);
    expect(result.stdout).toContain('scope         alerts:read\n');
    expect(result.stdout).not.toContain('\x1b[');
    expectNoSecret(result);
  });

  it('prints the response as JSON with --json', async () => {
    const result = await cli(
      [...tokenArgs, '--json', '--scope', 'alerts:read alerts:write'],
      withSecret,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      access_token: expect.stringMatching(/^eyJ/),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'alerts:read alerts:write',
    });
  });

  it('reads the secret from the variable --client-secret-env names, and posts it in the body', async () => {
    const args = ['token', '--token-endpoint', issuer.tokenEndpoint, '--client-id', 'reporter'];
    const result = await cli(
      [...args, '--client-secret-env', 'MY_SECRET', '--auth-method', 'post'],
      {
        MY_SECRET: SECRET,
      },
    );
    expect(result.code).toBe(0);
    expectNoSecret(result);
  });

  it('exits 1 on invalid_client, without showing the secret', async () => {
    const result = await cli(tokenArgs, { BEARERGUARD_CLIENT_SECRET: `${SECRET}-wrong` });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('invalid_client');
    expect(result.stderr).toContain('BEARERGUARD_CLIENT_SECRET');
    expectNoSecret(result);
  });

  it('exits 1 on invalid_scope', async () => {
    const result = await cli([...tokenArgs, '--scope', 'alerts:admin'], withSecret);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid_scope');
  });

  it.each<[string, string[], Record<string, string>]>([
    ['no secret and no terminal to ask on', tokenArgs, {}],
    ['no client id', ['token', '--issuer', 'http://127.0.0.1:1'], withSecret],
    ['no issuer', ['token', '--client-id', 'reporter'], withSecret],
    ['an unknown auth method', [...tokenArgs, '--auth-method', 'jwt'], withSecret],
    ['a secret on the command line', [...tokenArgs, '--client-secret', SECRET], {}],
  ])('exits 2 for %s', async (_name, args, env) => {
    const result = await cli(
      args.map((a) => a || issuer.issuer),
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('bearerguard inspect', () => {
  it('decodes header and claims, with times in human form', async () => {
    const token = await issuer.mint({ iat: now() - 4 * 3600, exp: now() - 3 * 3600 - 30 });
    const result = await cli(['inspect', token]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Header \(not verified\)\n {2}alg {2}ES256\n {2}typ {2}at\+jwt/);
    expect(result.stdout).toContain(`iss        ${issuer.issuer}`);
    expect(result.stdout).toContain('(expired 3 h ago)');
    expect(result.stdout).toContain('(issued 4 h ago)');
  });

  it('reads the token from standard input with -, also as token --json prints it', async () => {
    const token = await issuer.mint();
    const response = JSON.stringify({ access_token: token, token_type: 'Bearer' });
    for (const input of [`${token}\n`, `Bearer ${token}`, response]) {
      const result = await cli(['inspect', '-'], {}, input);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/expires in [45] min/);
    }
  });

  it('prints header, claims and times as JSON with --json', async () => {
    const token = await issuer.mint({ sub: 'svc' });
    const result = await cli(['inspect', token, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      verified: false,
      header: { alg: 'ES256', typ: 'at+jwt' },
      claims: { sub: 'svc', aud: AUDIENCE },
      times: { exp: { relative: expect.stringMatching(/^expires in [45] min$/) } },
    });
  });

  it('escapes control characters from the claims', async () => {
    const token = await issuer.mint({ sub: 'x\u001b[2Jy' });
    const result = await cli(['inspect', token]);
    expect(result.stdout).toContain('x\\u001b[2Jy');
    expect(result.stdout).not.toContain('\u001b');
  });

  it('exits 1 for something that is not a JWT, 2 for no token', async () => {
    const garbage = await cli(['inspect', 'not-a-token']);
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toContain('Not a signed JWT');
    expect((await cli(['inspect'])).code).toBe(2);
    expect((await cli(['inspect', '-'], {}, '  \n')).code).toBe(2);
  });
});

/** The id of the failed check, and every status in order. */
function verdictOf(stdout: string) {
  const report = JSON.parse(stdout) as {
    valid: boolean;
    reason: string | null;
    checks: { id: string; status: string }[];
  };
  return {
    valid: report.valid,
    reason: report.reason,
    failed: report.checks.find((c) => c.status === 'fail')?.id,
    statuses: report.checks.map((c) => c.status),
  };
}

describe('bearerguard verify', () => {
  it('prints each check with a mark and exits 0 for a valid token', async () => {
    const token = await issuer.mint();
    const result = await cli(['verify', token, ...verifyArgs(), '--scope', 'alerts:read']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(0, 10).every((line) => line.startsWith('✓ '))).toBe(true);
    expect(result.stdout).toMatch(/✓ Signing key +kid \S+, found in the issuer's JWKS/);
    expect(result.stdout).toMatch(/✓ Expiry +expires in [45] min/);
    expect(lines.at(-1)).toMatch(/^Accepted/);
  });

  it('reads the token from standard input and reports JSON', async () => {
    const token = await issuer.mint();
    const result = await cli(['verify', '-', ...verifyArgs(), '--json'], {}, token);
    expect(result.code).toBe(0);
    expect(verdictOf(result.stdout)).toMatchObject({
      valid: true,
      reason: null,
      failed: undefined,
    });
    expect(verdictOf(result.stdout).statuses.at(-1)).toBe('skipped');
  });

  const unsigned = () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none' })}.${part({ iss: issuer.issuer, exp: now() + 60 })}.`;
  };
  const tampered = async () => {
    const [header, , signature] = (await issuer.mint()).split('.');
    const claims = Buffer.from(
      JSON.stringify({ iss: issuer.issuer, aud: AUDIENCE, exp: now() + 600 }),
    );
    return `${header}.${claims.toString('base64url')}.${signature}`;
  };

  it.each<[string, () => Promise<string> | string, string[], string, string]>([
    ['not a JWT', () => 'abc.def', [], 'malformed_token', 'syntax'],
    ['alg none', unsigned, [], 'algorithm_not_allowed', 'algorithm'],
    [
      'another issuer',
      () => issuer.mint({ iss: 'https://evil.example' }),
      [],
      'issuer_mismatch',
      'issuer',
    ],
    [
      'an unknown kid',
      () => issuer.mint({}, { key: 'unpublished', kid: 'gone' }),
      [],
      'key_not_found',
      'key',
    ],
    ['altered claims', tampered, [], 'signature_invalid', 'signature'],
    ['an expired token', () => issuer.mint({ exp: now() - 3600 }), [], 'token_expired', 'times'],
    ['a future nbf', () => issuer.mint({ nbf: now() + 3600 }), [], 'token_not_yet_valid', 'times'],
    [
      'another audience',
      () => issuer.mint({ aud: 'https://other.example' }),
      [],
      'audience_mismatch',
      'audience',
    ],
    [
      'a missing scope',
      () => issuer.mint(),
      ['--scope', 'alerts:admin'],
      'insufficient_scope',
      'scopes',
    ],
  ])(
    'refuses %s, exiting 1 and naming the failed check',
    async (_name, make, extra, reason, failed) => {
      const result = await cli(['verify', await make(), ...verifyArgs(), ...extra, '--json']);
      expect(result.code).toBe(1);
      const verdict = verdictOf(result.stdout);
      expect(verdict).toMatchObject({ valid: false, reason, failed });
      const at = verdict.statuses.indexOf('fail');
      expect(verdict.statuses.slice(0, at).every((s) => s === 'pass')).toBe(true);
      expect(verdict.statuses.slice(at + 1).every((s) => s === 'not_reached')).toBe(true);
    },
  );

  it('marks the failed check with ✗ and the rest as not reached, in text', async () => {
    const token = await issuer.mint({ exp: now() - 3 * 3600 - 30 });
    const result = await cli(['verify', token, ...verifyArgs()]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /✓ Signature +ES256 signature is valid\n✗ Expiry +expired 3 h ago\n– Audience +not reached/,
    );
    expect(result.stdout).toContain('Refused (token_expired)');
    expect(result.stdout).toContain('401 with error="invalid_token"');
  });

  it('colours the marks only when asked to (FORCE_COLOR), since its output is not a terminal', async () => {
    const token = await issuer.mint();
    const plain = await cli(['verify', token, ...verifyArgs()]);
    const coloured = await cli(['verify', token, ...verifyArgs()], { FORCE_COLOR: '1' });
    expect(plain.stdout).not.toContain('\x1b[');
    expect(coloured.stdout).toContain('\x1b[32m✓\x1b[39m Token syntax');
  });

  it('exits 1 when the issuer keys cannot be fetched, blaming the key check', async () => {
    const gone = await startDevIssuer({ audience: AUDIENCE });
    const token = await gone.mint();
    await gone.close();
    const result = await cli(['verify', token, '--issuer', gone.issuer, '--audience', AUDIENCE]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ Signing key +the issuer's keys could not be fetched/);
    expect(result.stdout).toContain('Could not verify (key_source_unavailable)');
  });

  it.each([
    ['no --audience', ['--issuer', 'http://127.0.0.1:1']],
    ['no --issuer', ['--audience', AUDIENCE]],
    [
      'a bad --clock-tolerance',
      ['--issuer', 'http://127.0.0.1:1', '--audience', 'a', '--clock-tolerance', 'soon'],
    ],
  ])('exits 2 for %s', async (_name, args) => {
    const result = await cli(['verify', 'a.b.c', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toBe('');
  });
});
