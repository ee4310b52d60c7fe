// A security automation script, as a SOAR job would run it: obtain a token with the client's id
// and secret, read the open alerts, and start a playbook for each high-severity one.
//
//   ISSUER=http://127.0.0.1:PORT API=http://127.0.0.1:PORT CLIENT_ID=soc-automation \
//   BEARERGUARD_CLIENT_SECRET=... node examples/automation/triage.mjs
//
// `npm run demo -- --serve` prints values for a local run.
import { createTokenClient, TokenRequestError } from '@bearerguard/client';

const { ISSUER, API, CLIENT_ID, BEARERGUARD_CLIENT_SECRET: SECRET } = process.env;
if (!ISSUER || !API || !CLIENT_ID || !SECRET) {
  console.error('Set ISSUER, API, CLIENT_ID and BEARERGUARD_CLIENT_SECRET.');
  process.exit(2);
}

// One client for the whole run: it caches the token, renews it before it expires, and renews it
// once if the API answers 401 invalid_token (for example after a key rotation).
const client = createTokenClient({
  issuer: ISSUER,
  clientId: CLIENT_ID,
  clientSecret: SECRET,
  scope: ['alerts:read', 'playbooks:run'],
});

async function main() {
  const res = await client.authFetch(`${API}/v1/alerts`);
  if (!res.ok) throw new Error(`GET /v1/alerts answered ${res.status}`);
  const { alerts } = await res.json();
  console.log(`${alerts.length} open alert(s)`);

  for (const alert of alerts.filter((a) => a.severity === 'high')) {
    const run = await client.authFetch(`${API}/v1/playbooks/isolate-host/run`, { method: 'POST' });
    console.log(`${alert.id}: isolate-host → ${run.status}`);
  }
}

main().catch((err) => {
  // A TokenRequestError never carries the secret or a token, so it is safe to print.
  console.error(err instanceof TokenRequestError ? `token request failed: ${err.code}` : err);
  process.exitCode = 1;
});
