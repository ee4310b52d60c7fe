import { Redis } from 'ioredis';
import { startRedisServer, stopAllRedisServers } from './support/redis-server';

afterAll(() => stopAllRedisServers());

describe('the redis-server test helper', () => {
  it('fails with an install hint when redis-server is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startRedisServer()).rejects.toThrow(
        'redis-server not found on PATH: apt-get install -y redis-server',
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('starts a server that answers, and starts it again on the same port', async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      expect(await client.set('k', 'v')).toBe('OK');
      await server.stop();
      await server.start();
      // A restarted server is empty: nothing is saved.
      await expect(waitFor(() => client.get('k'))).resolves.toBeNull();
    } finally {
      client.disconnect();
    }
  });
});

async function waitFor<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
