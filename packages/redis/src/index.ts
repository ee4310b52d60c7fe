export { createRedisStore } from './redis-store';
export type { RedisConnection, RedisStore, RedisStoreStatus } from './redis-store';
export { failOpenRedisOptions } from './options';
export type { RedisStoreOptions } from './options';
export { StoreTimeoutError } from './fail-open';
