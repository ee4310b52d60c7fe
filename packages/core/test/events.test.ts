import diagnosticsChannel from 'node:diagnostics_channel';
import { checkScopes, createVerifier, type BearerEvent } from '../src';
import { accessClaims, generateKey, signToken } from './support/tokens';

const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'https://api.example.test';
const NOW = 1_800_000_000;
const TIME = new Date(NOW * 1000).toISOString();
const key = generateKey('ES256', 'k1');
const CONTEXT = {
  ip: '203.0.113.7',
  method: 'GET',
  path: '/v1/alerts',
  requestId: 'r-1',
  userAgent: 'soc-bot/1.0',
};

function setup() {
  const events: BearerEvent[] = [];
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { keys: [key.jwk] },
    onEvent: (e) => events.push(e),
    now: () => NOW * 1000,
  });
  return { events, verifier };
}

const token = (claims: Record<string, unknown> = {}) =>
  signToken(
    { alg: 'ES256', kid: 'k1', typ: 'at+jwt' },
    { ...accessClaims(ISSUER, AUDIENCE, NOW), jti: 'id-1', ...claims },
    key.privateKey,
  );

const tokenPart = (jwt: string, verified: boolean, claims: Record<string, unknown> = {}) => ({
  fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/),
  alg: 'ES256',
  kid: 'k1',
  typ: 'at+jwt',
  iss: ISSUER,
  sub: 'client-1',
  aud: AUDIENCE,
  clientId: 'client-1',
  jti: 'id-1',
  exp: NOW + 300,
  iat: NOW,
  verified,
  ...claims,
});

describe('event shapes', () => {
  it('token.verified', async () => {
    const { events, verifier } = setup();
    const jwt = token();
    await verifier.verify(jwt, CONTEXT);
    expect(events).toEqual([
      {
        type: 'token.verified',
        time: TIME,
        message: 'Token verified',
        request: CONTEXT,
        token: tokenPart(jwt, true),
      },
    ]);
  });

  it('token.expired', async () => {
    const { events, verifier } = setup();
    const jwt = token({ exp: NOW - 60 });
    await verifier.verify(jwt, CONTEXT).catch(() => undefined);
    expect(events).toEqual([
      {
        type: 'token.expired',
        time: TIME,
        reason: 'token_expired',
        status: 401,
        message: 'The token has expired',
        request: CONTEXT,
        token: tokenPart(jwt, false, { exp: NOW - 60 }),
      },
    ]);
  });

  it('token.invalid, with only a fingerprint for a token that does not parse', async () => {
    const { events, verifier } = setup();
    await verifier.verify('not-a-token', CONTEXT).catch(() => undefined);
    expect(events).toEqual([
      {
        type: 'token.invalid',
        time: TIME,
        reason: 'malformed_token',
        status: 401,
        message: 'The token does not have three parts',
        request: CONTEXT,
        token: { fingerprint: expect.any(String), verified: false },
      },
    ]);
  });

  it('token.missing', async () => {
    const { events, verifier } = setup();
    const request = { headers: { 'user-agent': 'soc-bot/1.0' }, ...CONTEXT };
    await verifier.authenticate(request).catch(() => undefined);
    expect(events).toEqual([
      {
        type: 'token.missing',
        time: TIME,
        reason: 'missing_token',
        status: 401,
        message: 'Authentication required',
        request: CONTEXT,
      },
    ]);
  });

  it('scope.insufficient, from checkScopes on a verified token', async () => {
    const { events, verifier } = setup();
    const jwt = token();
    const verified = await verifier.verify(jwt, CONTEXT);
    expect(() => checkScopes(verified, ['admin'])).toThrow();
    expect(events[1]).toEqual({
      type: 'scope.insufficient',
      time: TIME,
      reason: 'insufficient_scope',
      status: 403,
      message: 'The token needs the scope admin',
      request: CONTEXT,
      token: tokenPart(jwt, true),
    });
  });
});

describe('diagnostics channels', () => {
  it('publishes on bearerguard:<type> when someone listens, without the token', async () => {
    const seen: unknown[] = [];
    const listener = (message: unknown) => seen.push(message);
    diagnosticsChannel.subscribe('bearerguard:token.expired', listener);
    try {
      const verifier = createVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: { keys: [key.jwk] },
        now: () => NOW * 1000,
      });
      const jwt = token({ exp: NOW - 60 });
      await verifier.verify(jwt).catch(() => undefined);
      expect(seen).toEqual([
        expect.objectContaining({ type: 'token.expired', reason: 'token_expired' }),
      ]);
      expect(JSON.stringify(seen)).not.toContain(jwt.split('.')[2]);
    } finally {
      diagnosticsChannel.unsubscribe('bearerguard:token.expired', listener);
    }
  });
});
