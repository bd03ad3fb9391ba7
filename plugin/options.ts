import { Type, type Static } from '@sinclair/typebox'
import type { PoolOptions } from 'mysql2'

/**
 * The plugin's own options. Each may also come from the environment variable named in its
 * description; an option passed to `register` wins over the environment.
 */
export const OwnOptionsSchema = Type.Object({
  resetToken: Type.Optional(Type.String({
    description: 'Secret expected in x-reset-token; several separated by commas during a ' +
      'rotation. Env: CONNECTION_POOL_RESET_TOKEN. Unset: POST answers 503.'
  })),
  resetTokenFile: Type.Optional(Type.String({
    minLength: 1,
    description: 'File holding the token(s), for container secrets. ' +
      'Env: CONNECTION_POOL_RESET_TOKEN_FILE. Setting it and a token is an error.'
  })),
  trustedOrigins: Type.Optional(Type.Array(Type.String(), {
    description: 'Origins allowed to call the routes from a browser; https://*.example.com ' +
      'allows every subdomain. Env: TRUSTED_ORIGINS.'
  })),
  allowedNetworks: Type.Optional(Type.Array(Type.String(), {
    description: 'CIDR ranges of clients that may reach the routes; others get 404. ' +
      'Env: ALLOWED_NETWORKS. Default: every client.'
  })),
  maxFailedAttempts: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'Wrong tokens a client address may send per window before it gets 429. Default 5.'
  })),
  failedAttemptWindowMs: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'Window for maxFailedAttempts, from the first failure. Default 60000.'
  })),
  minResetIntervalMs: Type.Optional(Type.Integer({
    minimum: 0,
    description: 'POST resets closer than this to the last successful one get 429. ' +
      'Default 10000; 0 turns the check off.'
  })),
  requireTokenWithoutOrigin: Type.Optional(Type.Boolean({
    description: 'GET requests with neither Origin nor Referer must carry the token as well.'
  })),
  drainTimeoutMs: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'How long an old pool may drain before its connections are destroyed. ' +
      'Env: POOL_DRAIN_TIMEOUT_MS. Default 30000.'
  })),
  acquireTimeoutMs: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'How long a caller may wait for a free connection before a 503 error. ' +
      'Env: DB_ACQUIRE_TIMEOUT_MS. Default 10000.'
  })),
  routePath: Type.Optional(Type.String({
    pattern: '^/',
    description: 'Path of both routes. Default /api/internal/reset-connection-pool.'
  })),
  connectionString: Type.Optional(Type.String({
    minLength: 1,
    description: 'mysql:// URL, as in @fastify/mysql. Env: DATABASE_URL.'
  })),
  connectionLimit: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'Connections per pool. Env: DB_CONNECTION_LIMIT. Default 10.'
  })),
  promise: Type.Optional(Type.Literal(true, {
    description: 'Accepted for drop-in use where @fastify/mysql had it; the API is always promise.'
  }))
})

/** Options of `fastify.register(poolReset, options)`: the plugin's own, and any mysql2 option. */
export type PoolResetOptions =
  Static<typeof OwnOptionsSchema> & Omit<PoolOptions, 'connectionLimit'>
