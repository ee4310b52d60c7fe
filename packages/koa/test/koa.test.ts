import Koa from 'koa';
import request from 'supertest';
import { createVerifier, type BearerEvent } from '@bearerguard/core';
import type { DevIssuer } from '@bearerguard/dev-issuer';
import * as t from '../../express/test/support';
import { requireAnyScope, requireBearer, type BearerState } from '../src';
import { koaApp as appWith, type KoaAppOptions } from './app';

let issuer: DevIssuer;
beforeAll(async () => {
  issuer = await t.startIssuer();
});
afterAll(() => issuer.close());

const { bearer } = t;

const guarded = (options: KoaAppOptions = {}) =>
  appWith(requireBearer(t.trusting(issuer)), options);
const get = (app: Koa<BearerState>, path: string) => request(app.callback()).get(path);

describe('requireBearer (Koa)', () => {
  it('reads the Authorization header as earlier middleware left it', async () => {
    const token = await issuer.mint();
    const appWithFirst = (first: (ctx: Koa.Context) => void) => {
      const app = new Koa<BearerState>();
      app.use(async (ctx, next) => {
        first(ctx);
        await next();
      });
      app.use(requireBearer(t.trusting(issuer)));
      app.use((ctx) => {
        ctx.body = { subject: ctx.state.auth?.subject ?? null };
      });
      return app;
    };
    const fromGateway = appWithFirst((ctx) => {
      ctx.request.headers.authorization = `Bearer ${ctx.get('x-gateway-token')}`;
    });
    const set = await get(fromGateway, '/me').set('X-Gateway-Token', token);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ subject: 'reporter' });
    const stripped = appWithFirst((ctx) => {
      delete ctx.request.headers.authorization;
    });
    const removed = await get(stripped, '/me').set(bearer(token));
    expect(removed.status).toBe(401);
    expect(removed.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('lets a valid token through and sets ctx.state.auth', async () => {
    const res = await get(guarded(), '/me').set(bearer(await issuer.mint()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: 'reporter', scopes: ['alerts:read'] });
  });

  it('challenges a request without a token with a bare realm', async () => {
    const res = await get(guarded(), '/me');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.text).toBe('Authentication required');
  });

  it('refuses a token whose signature was tampered with as invalid_token', async () => {
    const res = await get(guarded(), '/me').set(bearer(t.tamper(await issuer.mint())));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", ' +
        'error_description="The token signature is invalid"',
    );
  });

  it('refuses an expired token, saying so in the challenge', async () => {
    const token = await issuer.mint({ exp: t.inSeconds(-600) });
    const res = await get(guarded(), '/me').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    );
  });

  it('answers 400 invalid_request to a header that is not a Bearer credential', async () => {
    const res = await get(guarded(), '/me').set('Authorization', 'Basic cmVwb3J0ZXI6eA==');
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('answers 400 to two Authorization headers, though Node keeps only the first', async () => {
    let lines = 0;
    const app = guarded({ json: true, seen: (raw) => (lines = t.authorizationLines(raw)) });
    const token = await issuer.mint();
    const headers = { Authorization: [`Bearer ${token}`, 'Bearer x'] };
    const res = await t.rawGet(app.callback(), '/me', headers);
    expect(lines).toBe(2);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: 'invalid_request',
      error_description: 'The request has more than one Authorization header',
      reason: 'invalid_request',
    });
  });

  it('answers 503, not 401, when the JWKS cannot be fetched', async () => {
    const jwksUri = await t.closedPortUrl('/jwks.json');
    const app = appWith(requireBearer({ ...t.trusting(issuer), jwksUri }));
    const res = await get(app, '/me').set(bearer(await issuer.mint()));
    expect(res.status).toBe(503);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.text).toBe('Service Unavailable');
  });

  it('accepts a verifier instead of options', async () => {
    const app = appWith(requireBearer(createVerifier(t.trusting(issuer))));
    const res = await get(app, '/me').set(bearer(await issuer.mint()));
    expect(res.status).toBe(200);
  });

  it('throws a TypeError at set-up for a bad configuration', () => {
    expect(() => requireBearer({ issuer: issuer.issuer } as never)).toThrow(TypeError);
    expect(() => requireAnyScope()).toThrow(TypeError);
  });

  it('reports the client ip behind a trusted proxy, the path and the request id', async () => {
    const events: BearerEvent[] = [];
    const onEvent = (event: BearerEvent) => events.push(event);
    const app = appWith(requireBearer({ ...t.trusting(issuer), onEvent }), { proxy: true });
    await get(app, '/me?x=1').set({ 'X-Forwarded-For': '203.0.113.7', 'X-Request-Id': 'req-42' });
    expect(events[0]?.request).toMatchObject({
      ip: '203.0.113.7',
      method: 'GET',
      path: '/me',
      requestId: 'req-42',
    });
  });
});

describe('requireScopes and requireAnyScope (Koa)', () => {
  it('refuses a token without the scope with 403 naming it', async () => {
    const res = await get(guarded(), '/alerts').set(bearer(await issuer.mint({ scope: 'x' })));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", ' +
        'error_description="The token needs the scope alerts:read", scope="alerts:read"',
    );
  });

  it('lets a token with one of several scopes through requireAnyScope', async () => {
    const token = await issuer.mint({ scope: 'alerts:admin' });
    const res = await get(guarded(), '/admin').set(bearer(token));
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['alerts:admin']);
  });
});

describe('optional: true (Koa)', () => {
  const optional = () => appWith(requireBearer({ ...t.trusting(issuer), optional: true }));

  it('lets a request without a token through with no ctx.state.auth', async () => {
    const res = await get(optional(), '/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ subject: null, scopes: null });
  });

  it('still authenticates a request with a token', async () => {
    const res = await get(optional(), '/me').set(bearer(await issuer.mint()));
    expect(res.body.subject).toBe('reporter');
  });

  it('still refuses a bad token', async () => {
    const res = await get(optional(), '/me').set(bearer(t.tamper(await issuer.mint())));
    expect(res.status).toBe(401);
  });

  it('lets a scope guard refuse a request without a token as missing_token', async () => {
    const res = await get(optional(), '/alerts');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it("reports the scope guard's missing_token in the verifier's realm and events", async () => {
    const events: BearerEvent[] = [];
    const onEvent = (event: BearerEvent) => events.push(event);
    const verifier = createVerifier({ ...t.trusting(issuer), realm: 'alerts', onEvent });
    const res = await get(appWith(requireBearer(verifier, { optional: true })), '/alerts?page=2');
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

describe('bearerErrorHandler (Koa)', () => {
  it('answers a refusal with the JSON body of the core error', async () => {
    const token = await issuer.mint({ exp: t.inSeconds(-600) });
    const res = await get(guarded({ json: true }), '/me').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({
      error: 'invalid_token',
      error_description: 'The token has expired',
      reason: 'token_expired',
    });
  });

  it('rethrows any other error to the app handler', async () => {
    const app = guarded({ json: true, appHandler: true });
    const res = await get(app, '/boom').set(bearer(await issuer.mint()));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ handledBy: 'app', message: 'boom' });
  });
});
