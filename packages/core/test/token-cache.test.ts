import { createRevocationList, createVerifier, type VerifierOptions } from '../src';
import {
  createSigningKey,
  jwksOf,
  manualClock,
  signAccessToken,
  startJwksServer,
  type JwksServer,
} from './support/jwks-server';

// The verified-token cache skips the signature of a token seen before, and nothing else.
const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';

let server: JwksServer;
beforeEach(async () => {
  server = await startJwksServer();
});
afterEach(() => server.close());

function setup(extra: Partial<VerifierOptions> = {}) {
  const clock = manualClock(1_800_000_000_000);
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUri: server.jwksUri,
    jwks: { cacheMaxAgeMs: 60_000, cooldownMs: 1_000 },
    now: clock.now,
    ...extra,
  });
  const result = (token: string) =>
    verifier.verify(token).then(
      () => 'verified',
      (err) => err.code as string,
    );
  return { clock, verifier, result };
}

describe('verified-token cache', () => {
  it('never serves a token past its exp', async () => {
    const key = await createSigningKey();
    server.setKeys(jwksOf(key));
    const { clock, result } = setup();
    const token = await signAccessToken(key, {
      iss: ISSUER,
      aud: AUDIENCE,
      nowMs: clock.now(),
      exp: 1_800_000_060,
    });
    expect(await result(token)).toBe('verified');
    expect(await result(token)).toBe('verified');
    clock.advance(65_000);
    expect(await result(token)).toBe('token_expired');
  });

  it('stops serving a token once its key has left the JWKS', async () => {
    const key = await createSigningKey();
    const next = await createSigningKey();
    server.setKeys(jwksOf(key, next));
    const { clock, result } = setup();
    const token = await signAccessToken(key, { iss: ISSUER, aud: AUDIENCE, nowMs: clock.now() });
    expect(await result(token)).toBe('verified');
    server.setKeys(jwksOf(next));
    clock.advance(61_000); // past the key cache age: the next request refreshes the JWKS
    expect(await result(token)).toBe('key_not_found');
    expect(await result(token)).toBe('key_not_found');
  });

  it("applies each verifier's own audience to a token another verifier accepted", async () => {
    const key = await createSigningKey();
    server.setKeys(jwksOf(key));
    const api = setup();
    const other = setup({ audience: 'https://other.example.test' });
    const token = await signAccessToken(key, {
      iss: ISSUER,
      aud: AUDIENCE,
      nowMs: api.clock.now(),
    });
    expect(await api.result(token)).toBe('verified');
    expect(await other.result(token)).toBe('audience_mismatch');
    expect(await api.result(token)).toBe('verified');
  });

  it('still checks revocation on every request', async () => {
    const key = await createSigningKey();
    server.setKeys(jwksOf(key));
    const revocations = createRevocationList();
    const { clock, result } = setup({ revocations });
    const token = await signAccessToken(key, {
      iss: ISSUER,
      aud: AUDIENCE,
      nowMs: clock.now(),
      jti: 'j-1',
    });
    expect(await result(token)).toBe('verified');
    await revocations.revoke('j-1', new Date(Date.now() + 60_000));
    expect(await result(token)).toBe('token_revoked');
  });

  it('does not let a tampered copy of a cached token through', async () => {
    const key = await createSigningKey();
    server.setKeys(jwksOf(key));
    const { clock, result } = setup();
    const token = await signAccessToken(key, { iss: ISSUER, aud: AUDIENCE, nowMs: clock.now() });
    // Admitted on its second verification.
    expect(await result(token)).toBe('verified');
    expect(await result(token)).toBe('verified');
    const [h, , s] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: 1_900_000_000, scope: 'admin' }),
    );
    expect(await result(`${h}.${payload.toString('base64url')}.${s}`)).toBe('signature_invalid');
  });

  it('checks the syntax of every header token it does not hold', async () => {
    const key = await createSigningKey();
    server.setKeys(jwksOf(key));
    const { clock, verifier } = setup();
    const token = await signAccessToken(key, { iss: ISSUER, aud: AUDIENCE, nowMs: clock.now() });
    const answer = (authorization: string) =>
      verifier.authenticate({ headers: { authorization } }).then(
        () => 'verified',
        (err) => err.code as string,
      );
    expect(await answer(`Bearer ${token}`)).toBe('verified');
    expect(await answer(`Bearer ${token}`)).toBe('verified');
    // The same last characters (the cache's key), but not a b64token: a request error.
    const inner = token.indexOf('.');
    expect(await answer(`Bearer ${token.slice(0, inner)}!${token.slice(inner)}`)).toBe(
      'invalid_request',
    );
    expect(await answer(`Bearer ${token} x`)).toBe('invalid_request');
    expect(await answer(`bearer   ${token}`)).toBe('verified');
  });

  it('can be turned off', async () => {
    expect(() => setup({ tokenCacheSize: 0 })).not.toThrow();
    expect(() => setup({ tokenCacheSize: -1 })).toThrow(TypeError);
  });
});
