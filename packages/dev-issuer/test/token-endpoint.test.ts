import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import request from 'supertest';
import { startDevIssuer, type DevIssuer } from '@bearerguard/dev-issuer';
import { basicAuth, nowSeconds, UUID } from './helpers';

const TOKEN = '/oauth/token';
const GRANT = 'grant_type=client_credentials';
const ALL_SCOPES = ['alerts:read', 'alerts:write', 'alerts:admin'];
// A colon in the id and form-special characters in the secret exercise RFC 6749 §2.3.1.
const ODD_ID = 'svc:reports';
const ODD_SECRET = 'p@ss wörd+%&=';

let issuer: DevIssuer;

beforeAll(async () => {
  issuer = await startDevIssuer({
    clients: [
      { clientId: 'demo-client', clientSecret: 'demo-secret', scopes: ALL_SCOPES },
      { clientId: ODD_ID, clientSecret: ODD_SECRET, scopes: ['alerts:read'] },
    ],
  });
});

afterAll(() => issuer.close());

function post() {
  return request(issuer.issuer).post(TOKEN);
}

function postForm(body: string, authorization = basicAuth('demo-client', 'demo-secret')) {
  return post().set('Authorization', authorization).type('form').send(body);
}

describe('successful token requests', () => {
  test('issues a Bearer token for HTTP Basic credentials, with no-store headers', async () => {
    const res = await postForm(GRANT).expect(200);

    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'alerts:read alerts:write alerts:admin',
    });
  });

  test('issues a token for client_id and client_secret in the body', async () => {
    const body = `${GRANT}&client_id=demo-client&client_secret=demo-secret`;
    const res = await post().type('form').send(body).expect(200);

    expect(res.body.token_type).toBe('Bearer');
    expect(decodeJwt(res.body.access_token).client_id).toBe('demo-client');
  });

  test('decodes form-urlencoded Basic credentials as RFC 6749 §2.3.1 requires', async () => {
    const res = await postForm(GRANT, basicAuth(ODD_ID, ODD_SECRET)).expect(200);

    expect(decodeJwt(res.body.access_token).sub).toBe(ODD_ID);
  });

  test('accepts Basic credentials that need no encoding, as curl -u sends them', async () => {
    const plain = `Basic ${Buffer.from('demo-client:demo-secret').toString('base64')}`;
    await postForm(GRANT, plain).expect(200);
  });

  test('accepts a body client_id that repeats the Basic client id', async () => {
    await postForm(`${GRANT}&client_id=demo-client`).expect(200);
  });

  test('grants exactly the requested subset of scopes, in the requested order', async () => {
    const res = await postForm(`${GRANT}&scope=alerts%3Awrite+alerts%3Aread`).expect(200);

    expect(res.body.scope).toBe('alerts:write alerts:read');
    expect(decodeJwt(res.body.access_token).scope).toBe('alerts:write alerts:read');
  });

  test('grants a scope asked for twice once', async () => {
    const res = await postForm(`${GRANT}&scope=alerts%3Aread+alerts%3Aread`).expect(200);

    expect(res.body.scope).toBe('alerts:read');
  });

  test('grants all of the client scopes when scope is empty', async () => {
    const res = await postForm(`${GRANT}&scope=`).expect(200);

    expect(res.body.scope).toBe(ALL_SCOPES.join(' '));
  });

  test('accepts audience and resource naming the configured audience', async () => {
    const audience = encodeURIComponent('https://api.example.test');
    await postForm(`${GRANT}&audience=${audience}&resource=${audience}`).expect(200);
  });
});

describe('issued tokens', () => {
  test('carry typ at+jwt, the current kid and the RFC 9068 claims', async () => {
    const before = nowSeconds();
    const res = await postForm(`${GRANT}&scope=alerts%3Aread`).expect(200);
    const token: string = res.body.access_token;

    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: issuer.jwks().keys[0]?.kid,
    });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: issuer.issuer,
      sub: 'demo-client',
      aud: 'https://api.example.test',
      client_id: 'demo-client',
      scope: 'alerts:read',
      iat: expect.any(Number),
      exp: (claims.iat ?? 0) + 300,
      jti: expect.stringMatching(UUID),
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(nowSeconds());
  });

  test('verify against the published JWKS', async () => {
    const res = await postForm(GRANT).expect(200);

    const { payload } = await jwtVerify(res.body.access_token, createLocalJWKSet(issuer.jwks()), {
      issuer: issuer.issuer,
      audience: 'https://api.example.test',
      typ: 'at+jwt',
    });
    expect(payload.client_id).toBe('demo-client');
  });

  test('get a fresh jti each time', async () => {
    const first = await postForm(GRANT).expect(200);
    const second = await postForm(GRANT).expect(200);

    expect(decodeJwt(first.body.access_token).jti).not.toBe(
      decodeJwt(second.body.access_token).jti,
    );
  });
});

type Send = () => request.Test;

const clientErrors: [string, Send][] = [
  ['no client credentials at all', () => post().type('form').send(GRANT)],
  ['an unknown client', () => postForm(GRANT, basicAuth('nobody', 'demo-secret'))],
  ['a wrong secret by Basic', () => postForm(GRANT, basicAuth('demo-client', 'wrong'))],
  [
    'a wrong secret in the body',
    () => post().type('form').send(`${GRANT}&client_id=demo-client&client_secret=wrong`),
  ],
  ['a body client_id without a secret', () => post().type('form').send(`${GRANT}&client_id=x`)],
  ['a Basic header that is not base64', () => postForm(GRANT, 'Basic %%%')],
  ['a Basic header without a colon', () => postForm(GRANT, `Basic ${btoa('demo-client')}`)],
  ['a Basic header with a bad percent escape', () => postForm(GRANT, `Basic ${btoa('a:%zz')}`)],
  ['an Authorization scheme other than Basic', () => postForm(GRANT, 'Bearer abc')],
];

test.each(clientErrors)(
  'answers 401 invalid_client with a Basic challenge for %s',
  async (_, send) => {
    const res = await send().expect(401);

    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(res.headers['www-authenticate']).toBe('Basic realm="bearerguard-dev-issuer"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
  },
);

const DEMO_BASIC = basicAuth('demo-client', 'demo-secret');
const asDemo = () => post().set('Authorization', DEMO_BASIC);
const OTHER = 'https%3A%2F%2Fother.example.test';

const requestErrors: {
  name: string;
  status: number;
  error: string;
  description: string;
  send: Send;
}[] = [
  {
    name: 'Basic and body credentials together',
    status: 400,
    error: 'invalid_request',
    description: 'use one client authentication method only',
    send: () => postForm(`${GRANT}&client_id=demo-client&client_secret=demo-secret`),
  },
  {
    name: 'a body client_id that differs from the Basic one',
    status: 400,
    error: 'invalid_request',
    description: 'use one client authentication method only',
    send: () => postForm(`${GRANT}&client_id=${encodeURIComponent(ODD_ID)}`),
  },
  {
    name: 'a missing grant_type',
    status: 400,
    error: 'invalid_request',
    description: 'grant_type is required',
    send: () => postForm('scope=alerts%3Aread'),
  },
  {
    name: 'an empty grant_type',
    status: 400,
    error: 'invalid_request',
    description: 'grant_type is required',
    send: () => postForm('grant_type='),
  },
  {
    name: 'a repeated parameter',
    status: 400,
    error: 'invalid_request',
    description: 'request parameters must not be repeated',
    send: () => postForm(`${GRANT}&${GRANT}`),
  },
  {
    name: 'a JSON body',
    status: 400,
    error: 'invalid_request',
    description: 'the body must be application/x-www-form-urlencoded',
    send: () => asDemo().type('json').send('{"grant_type":"client_credentials"}'),
  },
  {
    name: 'a malformed JSON body',
    status: 400,
    error: 'invalid_request',
    description: 'the body must be application/x-www-form-urlencoded',
    send: () => asDemo().type('json').send('{"grant_type":'),
  },
  {
    name: 'no body at all',
    status: 400,
    error: 'invalid_request',
    description: 'the body must be application/x-www-form-urlencoded',
    send: () => asDemo(),
  },
  {
    name: 'a body over 4 kB',
    status: 400,
    error: 'invalid_request',
    description: 'the request body could not be read',
    send: () => postForm(`${GRANT}&pad=${'x'.repeat(5000)}`),
  },
  {
    name: 'more than 20 parameters',
    status: 400,
    error: 'invalid_request',
    description: 'the request body could not be read',
    send: () => postForm(Array.from({ length: 21 }, (_, i) => `p${i}=1`).join('&')),
  },
  {
    name: 'an unsupported charset',
    status: 400,
    error: 'invalid_request',
    description: 'the request body could not be read',
    send: () =>
      asDemo().set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r').send(GRANT),
  },
  {
    name: 'a body that does not decompress',
    status: 400,
    error: 'invalid_request',
    description: 'the request body could not be read',
    send: () => asDemo().type('form').set('Content-Encoding', 'gzip').send(GRANT),
  },
  {
    name: 'two Authorization headers',
    status: 400,
    error: 'invalid_request',
    description: 'send one Authorization header only',
    // superagent hands an array to Node, which sends one header line per value; its types allow
    // arrays for Cookie only.
    send: () => postForm(GRANT).set('Authorization', [DEMO_BASIC, DEMO_BASIC] as never),
  },
  {
    name: 'a scope parameter of spaces only',
    status: 400,
    error: 'invalid_scope',
    description: 'the scope parameter names no scope',
    send: () => postForm(`${GRANT}&scope=+++`),
  },
  {
    name: 'the password grant',
    status: 400,
    error: 'unsupported_grant_type',
    description: 'only client_credentials is supported',
    send: () => postForm('grant_type=password&username=a&password=b'),
  },
  {
    name: 'the authorization_code grant',
    status: 400,
    error: 'unsupported_grant_type',
    description: 'only client_credentials is supported',
    send: () => postForm('grant_type=authorization_code&code=abc'),
  },
  {
    name: 'a scope the client may not ask for',
    status: 400,
    error: 'invalid_scope',
    description: 'a requested scope is not allowed for this client',
    send: () => postForm(`${GRANT}&scope=alerts%3Aread+alerts%3Adelete`),
  },
  {
    name: 'another audience',
    status: 400,
    error: 'invalid_target',
    description: 'the only audience offered is https://api.example.test',
    send: () => postForm(`${GRANT}&audience=${OTHER}`),
  },
  {
    name: 'another resource',
    status: 400,
    error: 'invalid_target',
    description: 'the only audience offered is https://api.example.test',
    send: () => postForm(`${GRANT}&resource=${OTHER}`),
  },
];

test.each(requestErrors)(
  'answers $name with $status $error',
  async ({ send, status, error, description }) => {
    const res = await send().expect(status);

    expect(res.body).toEqual({ error, error_description: description });
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['pragma']).toBe('no-cache');
  },
);

test('never echoes the presented secret in an error', async () => {
  const secret = 'secret-that-must-not-leak';
  const res = await postForm(GRANT, basicAuth('demo-client', secret)).expect(401);

  expect(res.text).not.toContain(secret);
  expect(res.text).toBe(
    '{"error":"invalid_client","error_description":"client authentication failed"}',
  );
});

test('answers an unknown client and a wrong secret identically', async () => {
  const unknown = await postForm(GRANT, basicAuth('nobody', 'demo-secret')).expect(401);
  const wrong = await postForm(GRANT, basicAuth('demo-client', 'nope')).expect(401);

  expect(unknown.text).toBe(wrong.text);
});
