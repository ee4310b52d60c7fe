import { resolveOptions, type DevIssuerOptions } from '../src/options';

test('applies the documented defaults', () => {
  expect(resolveOptions()).toEqual({
    port: 0,
    host: '127.0.0.1',
    clients: [{ clientId: 'demo-client', clientSecret: 'demo-secret', scopes: ['alerts:read'] }],
    algorithm: 'ES256',
    tokenTtlSeconds: 300,
    audience: 'https://api.example.test',
  });
});

test('accepts an empty client list', () => {
  expect(resolveOptions({ clients: [] }).clients).toEqual([]);
});

const client = { clientId: 'a', clientSecret: 's', scopes: ['x'] };

const mistakes: { name: string; options: DevIssuerOptions; message: RegExp }[] = [
  { name: 'a negative port', options: { port: -1 }, message: /^port/ },
  { name: 'a fractional port', options: { port: 80.5 }, message: /^port/ },
  { name: 'a port above 65535', options: { port: 70000 }, message: /^port/ },
  { name: 'a non-loopback host', options: { host: '0.0.0.0' }, message: /^host/ },
  {
    name: 'an unsupported algorithm',
    options: { algorithm: 'HS256' as 'ES256' },
    message: /^algorithm/,
  },
  { name: 'a zero ttl', options: { tokenTtlSeconds: 0 }, message: /^tokenTtlSeconds/ },
  { name: 'a fractional ttl', options: { tokenTtlSeconds: 1.5 }, message: /^tokenTtlSeconds/ },
  { name: 'an empty audience', options: { audience: '' }, message: /^audience/ },
  {
    name: 'a client without a secret',
    options: { clients: [{ ...client, clientSecret: '' }] },
    message: /clientSecret/,
  },
  {
    name: 'a scope with a space',
    options: { clients: [{ ...client, scopes: ['a b'] }] },
    message: /scopes/,
  },
  {
    name: 'a client listed twice',
    options: { clients: [client, { ...client }] },
    message: /listed twice/,
  },
];

test.each(mistakes)('throws a TypeError for $name', ({ options, message }) => {
  expect(() => resolveOptions(options)).toThrow(TypeError);
  expect(() => resolveOptions(options)).toThrow(message);
});
