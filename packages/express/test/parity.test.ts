// One table of requests, each sent to an Express app and a Koa app built alike: both adapters
// must answer with the same status, WWW-Authenticate header and JSON body.
import request from 'supertest';
import { createAbuseMonitor, type VerifierOptions } from '@bearerguard/core';
import type { DevIssuer } from '@bearerguard/dev-issuer';
import { requireBearer as koaBearer } from '@bearerguard/koa';
import { koaApp } from '../../koa/test/app';
import { requireBearer as expressBearer } from '../src';
import { expressApp } from './app';
import * as t from './support';

let issuer: DevIssuer;
let closedJwksUri: string;
beforeAll(async () => {
  issuer = await t.startIssuer();
  closedJwksUri = await t.closedPortUrl('/jwks.json');
});
afterAll(() => issuer.close());

type Credentials = () => Promise<Record<string, string>>;
const minted =
  (claims: Record<string, unknown> = {}): Credentials =>
  async () =>
    t.bearer(await issuer.mint(claims));
const none: Credentials = async () => ({});

// A realm other than the default, to show that every challenge, the scope guards' too, uses it.
const challenge = (params = '') => `Bearer realm="alerts"${params}`;
const invalid = (description: string) =>
  challenge(`, error="invalid_token", error_description="${description}"`);
const needs = (description: string, scope: string) =>
  challenge(`, error="insufficient_scope", error_description="${description}", scope="${scope}"`);

interface Case {
  title: string;
  path: string;
  credentials: Credentials;
  status: number;
  /** The exact WWW-Authenticate header; none when undefined. */
  challenge?: string;
  reason?: string;
  optional?: boolean;
  unreachableJwks?: boolean;
}

const cases: Case[] = [
  { title: 'a valid token', path: '/me', credentials: minted(), status: 200 },
  {
    title: 'no token',
    path: '/me',
    credentials: none,
    status: 401,
    reason: 'missing_token',
    challenge: challenge(),
  },
  {
    title: 'a malformed Authorization header',
    path: '/me',
    credentials: async () => ({ Authorization: 'Bearer a b' }),
    status: 400,
    reason: 'invalid_request',
    challenge: challenge(
      ', error="invalid_request", ' +
        'error_description="The Authorization header does not carry a well-formed bearer token"',
    ),
  },
  {
    title: 'a tampered token',
    path: '/me',
    credentials: async () => t.bearer(t.tamper(await issuer.mint())),
    status: 401,
    reason: 'signature_invalid',
    challenge: invalid('The token signature is invalid'),
  },
  {
    title: 'an expired token',
    path: '/me',
    credentials: minted({ exp: t.inSeconds(-600) }),
    status: 401,
    reason: 'token_expired',
    challenge: invalid('The token has expired'),
  },
  {
    title: 'a token missing the scope of requireScopes',
    path: '/alerts',
    credentials: minted({ scope: 'profile' }),
    status: 403,
    reason: 'insufficient_scope',
    challenge: needs('The token needs the scope alerts:read', 'alerts:read'),
  },
  {
    title: 'a token with one of the scopes of requireAnyScope',
    path: '/admin',
    credentials: minted({ scope: 'alerts:admin' }),
    status: 200,
  },
  {
    title: 'a token with none of the scopes of requireAnyScope',
    path: '/admin',
    credentials: minted(),
    status: 403,
    reason: 'insufficient_scope',
    challenge: needs(
      'The token needs one of the scopes alerts:write alerts:admin',
      'alerts:write alerts:admin',
    ),
  },
  { title: 'optional, no token', path: '/me', credentials: none, status: 200, optional: true },
  { title: 'optional, a token', path: '/me', credentials: minted(), status: 200, optional: true },
  {
    title: 'optional, no token, behind a scope guard',
    path: '/alerts',
    credentials: none,
    status: 401,
    reason: 'missing_token',
    challenge: challenge(),
    optional: true,
  },
  {
    title: 'an unreachable JWKS',
    path: '/me',
    credentials: minted(),
    status: 503,
    reason: 'key_source_unavailable',
    unreachableJwks: true,
  },
];

function options(c: Partial<Case>, extra: Partial<VerifierOptions> = {}) {
  const jwksUri = c.unreachableJwks ? closedJwksUri : issuer.jwksUri;
  return { ...t.trusting(issuer), jwksUri, realm: 'alerts', optional: c.optional, ...extra };
}

async function answers(c: Case, json: boolean) {
  const headers = await c.credentials();
  const [express, koa] = await Promise.all([
    request(expressApp(expressBearer(options(c)), { json }))
      .get(c.path)
      .set(headers),
    request(koaApp(koaBearer(options(c)), { json }).callback())
      .get(c.path)
      .set(headers),
  ]);
  return { express, koa };
}

describe('Express and Koa answer alike', () => {
  it.each(cases)('with the JSON responder, to $title', async (c) => {
    const { express: e, koa: k } = await answers(c, true);
    expect([e.status, k.status]).toEqual([c.status, c.status]);
    expect(e.headers['www-authenticate']).toBe(c.challenge);
    expect(k.headers['www-authenticate']).toBe(c.challenge);
    expect(k.headers['content-type']).toBe(e.headers['content-type']);
    expect(k.body).toEqual(e.body);
    if (c.reason) expect(e.body.reason).toBe(c.reason);
    else expect(e.body).toHaveProperty('subject');
  });

  it.each(cases)('without the JSON responder, to $title', async (c) => {
    const { express: e, koa: k } = await answers(c, false);
    expect([e.status, k.status]).toEqual([c.status, c.status]);
    expect(e.headers['www-authenticate']).toBe(c.challenge);
    expect(k.headers['www-authenticate']).toBe(c.challenge);
  });

  it('blocks a client after repeated bad tokens with 429 and Retry-After', async () => {
    const make = () => createAbuseMonitor({ threshold: 2, windowSeconds: 60, blockSeconds: 30 });
    const express = request(
      expressApp(expressBearer(options({}, { abuse: make() })), { json: true }),
    );
    const koa = request(
      koaApp(koaBearer(options({}, { abuse: make() })), { json: true }).callback(),
    );
    const bad = t.bearer(t.tamper(await issuer.mint()));
    for (const app of [express, koa]) {
      await app.get('/me').set(bad).expect(401);
      await app.get('/me').set(bad).expect(401);
    }
    const good = t.bearer(await issuer.mint());
    const [e, k] = await Promise.all([express.get('/me').set(good), koa.get('/me').set(good)]);
    expect([e.status, k.status]).toEqual([429, 429]);
    expect(e.headers['retry-after']).toBe('30');
    expect(k.headers['retry-after']).toBe('30');
    expect(k.body).toEqual(e.body);
    expect(e.body.reason).toBe('rate_limited');
  });
});
