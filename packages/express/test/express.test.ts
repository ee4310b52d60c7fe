import request from 'supertest';
import { createVerifier, type BearerEvent } from '@bearerguard/core';
import type { DevIssuer } from '@bearerguard/dev-issuer';
import { requireBearer, requireScopes } from '../src';
import { expressApp as appWith, type ExpressAppOptions } from './app';
import * as t from './support';

const { bearer } = t;

let issuer: DevIssuer;
beforeAll(async () => {
  issuer = await t.startIssuer();
});
afterAll(() => issuer.close());

const guarded = (options: ExpressAppOptions = {}) =>
  appWith(requireBearer(t.trusting(issuer)), options);

describe('requireBearer (Express)', () => {
  it('lets a valid token through and sets req.auth', async () => {
    const res = await request(guarded())
      .get('/me')
      .set(bearer(await issuer.mint()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: 'reporter', scopes: ['alerts:read'] });
  });

  it('challenges a request without a token with a bare realm', async () => {
    const res = await request(guarded()).get('/me');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('refuses a token whose signature was tampered with as invalid_token', async () => {
    const res = await request(guarded())
      .get('/me')
      .set(bearer(t.tamper(await issuer.mint())));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", ' +
        'error_description="The token signature is invalid"',
    );
  });

  it('refuses an expired token, saying so in the challenge', async () => {
    const token = await issuer.mint({ exp: t.inSeconds(-600) });
    const res = await request(guarded()).get('/me').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
  });

  it('answers 400 invalid_request to a header that is not a Bearer credential', async () => {
    const res = await request(guarded()).get('/me').set('Authorization', 'Basic cmVwb3J0ZXI6eA==');
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_request", ' +
        'error_description="The Authorization header does not use the Bearer scheme"',
    );
  });

  it('answers 400 to two Authorization headers, though Node keeps only the first', async () => {
    let lines = 0;
    const app = guarded({
      json: true,
      seen: (req) => (lines = t.authorizationLines(req.rawHeaders)),
    });
    const token = await issuer.mint();
    const res = await t.rawGet(app, '/me', { Authorization: [`Bearer ${token}`, 'Bearer x'] });
    expect(lines).toBe(2);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: 'invalid_request',
      error_description: 'The request has more than one Authorization header',
      reason: 'invalid_request',
    });
  });

  it('reads the Authorization header as earlier middleware left it', async () => {
    const token = await issuer.mint();
    const fromGateway = guarded({
      seen: (req) => {
        req.headers.authorization = `Bearer ${String(req.headers['x-gateway-token'])}`;
      },
    });
    const set = await request(fromGateway).get('/me').set('X-Gateway-Token', token);
    expect(set.status).toBe(200);
    const stripped = guarded({
      seen: (req) => {
        delete req.headers.authorization;
      },
    });
    const removed = await request(stripped).get('/me').set(bearer(token));
    expect(removed.status).toBe(401);
    expect(removed.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const jwksUri = await t.closedPortUrl('/jwks.json');
    const app = appWith(requireBearer({ ...t.trusting(issuer), jwksUri }));
    const res = await request(app)
      .get('/me')
      .set(bearer(await issuer.mint()));
    expect(res.status).toBe(503);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('accepts a verifier instead of options', async () => {
    const app = appWith(requireBearer(createVerifier(t.trusting(issuer))));
    const res = await request(app)
      .get('/me')
      .set(bearer(await issuer.mint()));
    expect(res.status).toBe(200);
  });

  it('throws a TypeError at set-up for a bad configuration', () => {
    expect(() => requireBearer({ issuer: issuer.issuer } as never)).toThrow(TypeError);
    expect(() => requireScopes()).toThrow(TypeError);
  });

  it('reports the client ip behind a trusted proxy, the path and the request id', async () => {
    const events: BearerEvent[] = [];
    const onEvent = (event: BearerEvent) => events.push(event);
    const app = appWith(requireBearer({ ...t.trusting(issuer), onEvent }), { trustProxy: true });
    await request(app)
      .get('/me?x=1')
      .set({ 'X-Forwarded-For': '203.0.113.7', 'X-Request-Id': 'req-42' });
    expect(events[0]?.request).toMatchObject({
      ip: '203.0.113.7',
      method: 'GET',
      path: '/me',
      requestId: 'req-42',
    });
  });
});

describe('requireScopes and requireAnyScope (Express)', () => {
  it('refuses a token without the scope with 403 naming it', async () => {
    const token = await issuer.mint({ scope: 'profile' });
    const res = await request(guarded()).get('/alerts').set(bearer(token));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The token needs the scope alerts:read", scope="alerts:read"',
    );
  });

  it('lets a token with one of several scopes through requireAnyScope', async () => {
    const token = await issuer.mint({ scope: 'alerts:admin' });
    const res = await request(guarded()).get('/admin').set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['alerts:admin']);
  });

  it('refuses a token with none of the scopes of requireAnyScope', async () => {
    const res = await request(guarded())
      .get('/admin')
      .set(bearer(await issuer.mint()));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toContain('scope="alerts:write alerts:admin"');
  });
});

describe('optional: true (Express)', () => {
  const optional = () => appWith(requireBearer({ ...t.trusting(issuer), optional: true }));

  it('lets a request without a token through with no req.auth', async () => {
    const res = await request(optional()).get('/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: null, scopes: null });
  });

  it('still authenticates a request with a token', async () => {
    const res = await request(optional())
      .get('/me')
      .set(bearer(await issuer.mint()));
    expect(res.body.subject).toBe('reporter');
  });

  it('still refuses a bad token', async () => {
    const res = await request(optional())
      .get('/me')
      .set(bearer(t.tamper(await issuer.mint())));
    expect(res.status).toBe(401);
  });

  it('lets a scope guard refuse a request without a token as missing_token', async () => {
    const res = await request(optional()).get('/alerts');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it("reports the scope guard's missing_token in the verifier's realm and events", async () => {
    const events: BearerEvent[] = [];
    const onEvent = (event: BearerEvent) => events.push(event);
    const verifier = createVerifier({ ...t.trusting(issuer), realm: 'alerts', onEvent });
    const app = appWith(requireBearer(verifier, { optional: true }));
    const res = await request(app).get('/alerts?page=2');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="alerts"');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'token.missing',
        reason: 'missing_token',
        request: expect.objectContaining({ method: 'GET', path: '/alerts' }),
      }),
    ]);
  });
});

describe('bearerErrorHandler (Express)', () => {
  it('answers a refusal with the JSON body of the core error', async () => {
    const token = await issuer.mint({ exp: t.inSeconds(-600) });
    const res = await request(guarded({ json: true }))
      .get('/me')
      .set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({
      error: 'invalid_token',
      error_description: 'The token has expired',
      reason: 'token_expired',
    });
  });

  it('passes any other error on to the app handler', async () => {
    const app = guarded({ json: true, appHandler: true });
    const res = await request(app)
      .get('/boom')
      .set(bearer(await issuer.mint()));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ handledBy: 'app', message: 'boom' });
  });
});
