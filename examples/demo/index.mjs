// The bearerguard demo: a local authorization server, the alerts API behind bearerguard, and the
// whole flow over real HTTP, printed step by step with the equivalent curl command.
// `npm run demo` exits 0 only if every step behaved as expected; `npm run demo -- --serve` keeps
// the servers running.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { startDevIssuer } from '@bearerguard/dev-issuer';
import { createAlertsApp as expressAlerts } from '@bearerguard/example-express-alerts';
import { createAlertsApp as koaAlerts } from '@bearerguard/example-koa-alerts';
import { Steps, bold, describe, short } from './steps.mjs';

const AUDIENCE = 'https://alerts.example.test';
const COOLDOWN_MS = 1000;
const CLIENTS = [
  { clientId: 'soc-automation', clientSecret: 'soc-automation-secret', scopes: ['alerts:read', 'playbooks:run'] },
  { clientId: 'dashboard', clientSecret: 'dashboard-secret', scopes: ['alerts:read'] },
];

async function listen(handler) {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

async function obtainToken(issuer, client) {
  const res = await fetch(issuer.tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: await res.json() };
}

function curlToken(issuer, client) {
  return `curl -s -u ${client.clientId}:${client.clientSecret} -d grant_type=client_credentials ${issuer.tokenEndpoint}`;
}

async function walk(steps, issuer, api, name, events) {
  const [soc, dashboard] = CLIENTS;
  steps.section(`${name}: ${api.url}`);

  const granted = await obtainToken(issuer, soc);
  const token = granted.body.access_token;
  steps.check('Obtain a token with client credentials', {
    curl: curlToken(issuer, soc),
    actual: `${granted.status} ${granted.body.token_type} expires_in=${granted.body.expires_in}`,
    expected: `200 Bearer expires_in=${granted.body.expires_in}`,
    detail: `access_token ${short(token ?? '')}, scope "${granted.body.scope}"`,
  });

  const call = async (path, { bearer, method = 'GET' } = {}) =>
    describe(
      await fetch(`${api.url}${path}`, {
        method,
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      }),
    );
  const curl = (path, label, method = 'GET') =>
    `curl -s ${method === 'GET' ? '' : `-X ${method} `}${label ? `-H "Authorization: Bearer $${label}" ` : ''}${api.url}${path}`;

  let r = await call('/v1/alerts', { bearer: token });
  steps.check('Call the API with the token', { curl: curl('/v1/alerts', 'TOKEN'), actual: `${r.status}`, expected: '200' });

  r = await call('/v1/alerts');
  steps.check('Call without a token', {
    curl: curl('/v1/alerts'),
    actual: `${r.status} ${r.challenge}`,
    expected: '401 Bearer realm="api"',
  });

  const [h, p, s] = token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url')), scope: 'alerts:read admin' })).toString('base64url')}.${s}`;
  r = await call('/v1/alerts', { bearer: tampered });
  steps.check('Call with a tampered token (scope edited)', {
    curl: curl('/v1/alerts', 'TAMPERED'),
    actual: `${r.status} ${r.reason}`,
    expected: '401 signature_invalid',
    detail: r.challenge,
  });

  const expired = await issuer.mint({ sub: soc.clientId, client_id: soc.clientId, exp: Math.floor(Date.now() / 1000) - 3600 });
  r = await call('/v1/alerts', { bearer: expired });
  steps.check('Call with an expired token', {
    curl: curl('/v1/alerts', 'EXPIRED'),
    actual: `${r.status} ${r.reason}`,
    expected: '401 token_expired',
    detail: r.challenge,
  });

  const readOnly = (await obtainToken(issuer, dashboard)).body.access_token;
  r = await call('/v1/playbooks/isolate-host/run', { bearer: readOnly, method: 'POST' });
  steps.check('Run a playbook with a token that lacks playbooks:run', {
    curl: curl('/v1/playbooks/isolate-host/run', 'DASHBOARD_TOKEN', 'POST'),
    actual: `${r.status} ${r.reason}`,
    expected: '403 insufficient_scope',
    detail: r.challenge,
  });

  r = await call('/v1/playbooks/isolate-host/run', { bearer: token, method: 'POST' });
  steps.check('Run the playbook with playbooks:run', {
    curl: curl('/v1/playbooks/isolate-host/run', 'TOKEN', 'POST'),
    actual: `${r.status}`,
    expected: '202',
  });

  await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS));
  const { kid } = await issuer.rotateKeys();
  const rotated = (await obtainToken(issuer, soc)).body.access_token;
  r = await call('/v1/alerts', { bearer: rotated });
  steps.check(`Rotate the issuer's key (new kid ${kid}) and call with a new token`, {
    curl: curl('/v1/alerts', 'NEW_TOKEN'),
    actual: `${r.status}`,
    expected: '200',
    detail: `the unknown kid made bearerguard refresh the JWKS once (cooldown ${COOLDOWN_MS} ms here, 30 s by default)`,
  });
  r = await call('/v1/alerts', { bearer: token });
  steps.check('The token signed by the previous key still works (key kept in the JWKS)', {
    actual: `${r.status}`,
    expected: '200',
  });

  console.log(`\n${bold('Events the API emitted')} (no token in them, only a fingerprint):`);
  for (const e of events.splice(0)) {
    const who = e.token ? ` token=${e.token.fingerprint} sub=${e.token.sub ?? '-'}` : '';
    console.log(`  ${e.time} ${e.type.padEnd(20)} ${e.reason ?? ''}${who}`);
  }
}

async function main() {
  const serve = process.argv.includes('--serve');
  const issuer = await startDevIssuer({ clients: CLIENTS, audience: AUDIENCE });
  const events = [];
  const options = {
    issuer: issuer.issuer,
    audience: AUDIENCE,
    // An unknown kid refreshes the JWKS at most once per cooldown (30 s by default); the demo
    // shortens it so that the rotation step need not wait.
    jwks: { cooldownMs: COOLDOWN_MS },
    onEvent: (e) => e.type !== 'token.verified' && events.push(e),
  };
  const apis = [
    { name: 'Express alerts API', ...(await listen(expressAlerts(options))) },
    { name: 'Koa alerts API', ...(await listen(koaAlerts(options).callback())) },
  ];
  console.log(`${bold('bearerguard demo')}: dev issuer at ${issuer.issuer}`);

  if (serve) return printServe(issuer, apis);

  const steps = new Steps();
  for (const api of apis) await walk(steps, issuer, api, api.name, events);
  for (const api of apis) api.server.close();
  await issuer.close();

  console.log(
    steps.failures === 0
      ? `\n${bold(`All ${steps.count} steps behaved as expected.`)}`
      : `\n${bold(`${steps.failures} of ${steps.count} steps did not behave as expected.`)}`,
  );
  process.exitCode = steps.failures === 0 ? 0 : 1;
}

function printServe(issuer, apis) {
  const [soc] = CLIENTS;
  console.log('\nServers are running; press Ctrl+C to stop. Try:\n');
  console.log(`  TOKEN=$(${curlToken(issuer, soc)} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`);
  for (const api of apis) {
    console.log(`  curl -i -H "Authorization: Bearer $TOKEN" ${api.url}/v1/alerts      # ${api.name}`);
    console.log(`  curl -i ${api.url}/v1/alerts`);
    console.log(`  curl -i -X POST -H "Authorization: Bearer $TOKEN" ${api.url}/v1/playbooks/isolate-host/run`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
