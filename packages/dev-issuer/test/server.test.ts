import request from 'supertest';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';
import { KeyRing } from '../src/keys';
import { resolveOptions } from '../src/options';
import { createApp } from '../src/server';
import { basicAuth } from './helpers';

let issuer: DevIssuer;

beforeAll(async () => {
  issuer = await startDevIssuer({
    clients: [
      { clientId: 'a', clientSecret: 'sa', scopes: ['alerts:read', 'alerts:write'] },
      { clientId: 'b', clientSecret: 'sb', scopes: ['alerts:read', 'reports:read'] },
    ],
  });
});

afterAll(() => issuer.close());

describe.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])(
  'GET %s',
  (path) => {
    test('answers the RFC 8414 metadata of the issuer', async () => {
      const res = await request(issuer.issuer).get(path).expect(200);

      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({
        issuer: issuer.issuer,
        token_endpoint: `${issuer.issuer}/oauth/token`,
        jwks_uri: `${issuer.issuer}/.well-known/jwks.json`,
        scopes_supported: ['alerts:read', 'alerts:write', 'reports:read'],
        response_types_supported: [],
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
    });
  },
);

test('the issuer URL is http on 127.0.0.1 with the bound port and no trailing slash', () => {
  expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
  expect(issuer.jwksUri).toBe(`${issuer.issuer}/.well-known/jwks.json`);
  expect(issuer.tokenEndpoint).toBe(`${issuer.issuer}/oauth/token`);
});

test('GET /.well-known/jwks.json answers the public JWKS, cacheable for 300 seconds', async () => {
  const res = await request(issuer.issuer).get('/.well-known/jwks.json').expect(200);

  expect(res.headers['cache-control']).toBe('max-age=300');
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.body).toEqual(issuer.jwks());
  expect(Object.keys(res.body.keys[0]).sort()).toEqual([
    'alg',
    'crv',
    'kid',
    'kty',
    'use',
    'x',
    'y',
  ]);
});

test('GET /.well-known/jwks.json serves the keys as they are now', async () => {
  const { kid } = await issuer.rotateKeys();
  const res = await request(issuer.issuer).get('/.well-known/jwks.json').expect(200);

  expect(res.body.keys[0].kid).toBe(kid);
  expect(res.body.keys).toHaveLength(2);
});

test.each([
  ['GET', '/'],
  ['GET', '/oauth/token'],
  ['POST', '/.well-known/jwks.json'],
  ['GET', '/.well-known/jwks.json/extra'],
])('answers %s %s with a JSON 404', async (method, path) => {
  const res = await request(issuer.issuer)[method === 'GET' ? 'get' : 'post'](path).expect(404);

  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.body).toEqual({ error: 'not_found', error_description: 'no such endpoint' });
});

test('does not announce Express', async () => {
  const res = await request(issuer.issuer).get('/.well-known/jwks.json');

  expect(res.headers['x-powered-by']).toBeUndefined();
});

test('answers an unexpected failure with 500 server_error and no details', async () => {
  const keys = {
    get current(): never {
      throw new Error('secret internals');
    },
  } as unknown as KeyRing;
  const app = createApp({ issuer: 'http://issuer.test', keys, options: resolveOptions() });

  const res = await request(app)
    .post('/oauth/token')
    .set('Authorization', basicAuth('demo-client', 'demo-secret'))
    .type('form')
    .send('grant_type=client_credentials')
    .expect(500);

  expect(res.body).toEqual({ error: 'server_error', error_description: 'internal error' });
  expect(res.headers['cache-control']).toBe('no-store');
});
