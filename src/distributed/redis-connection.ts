import { z } from 'zod';

/**
 * Where Redis is: a `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) URL, or
 * ioredis connection options (`{ host, port, password, db, tls }`).
 */
export const RedisConnectionSchema = z.union([
  z.string().regex(/^rediss?:\/\/[^\s]+$/, { error: 'expected a redis:// or rediss:// URL' }),
  z.looseObject({
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    path: z.string().min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    db: z.number().int().nonnegative().optional(),
  }),
]);

/** Where Redis is, as callers give it. */
export type RedisConnection = z.input<typeof RedisConnectionSchema>;

/** ioredis options, as BullMQ takes them. */
export type RedisOptions = Record<string, unknown> & { host?: string; port?: number };

/**
 * The ioredis options of a connection: a URL is split into host, port, credentials and db.
 * @internal
 */
export function redisOptionsOf(connection: RedisConnection): RedisOptions {
  if (typeof connection !== 'string') return { ...connection };
  const url = new URL(connection);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * A connection for messages and logs: `redis://host:port/db`, the password never shown.
 * @internal
 */
export function describeRedis(connection: RedisConnection): string {
  const o = redisOptionsOf(connection);
  if (typeof o.path === 'string') return `redis at ${o.path}`;
  const user = typeof o.username === 'string' ? `${o.username}@` : '';
  const db = typeof o.db === 'number' ? `/${o.db}` : '';
  return `redis://${user}${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${db}`;
}
