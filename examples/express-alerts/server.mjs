// Runs the Express alerts API on its own: ISSUER and AUDIENCE name the authorization server.
import { createAlertsApp } from './app.mjs';

const { ISSUER, AUDIENCE, PORT = '3000' } = process.env;
if (!ISSUER || !AUDIENCE) {
  console.error('Set ISSUER and AUDIENCE (and optionally PORT, JWKS_URI).');
  process.exit(2);
}
const app = createAlertsApp({ issuer: ISSUER, audience: AUDIENCE, jwksUri: process.env.JWKS_URI });
app.listen(Number(PORT), '127.0.0.1', () => {
  console.log(`alerts API (Express) on http://127.0.0.1:${PORT}`);
});
