import { Type, type Static } from '@sinclair/typebox'
import type { Redis } from 'ioredis'
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
  fleet: Type.Optional(Type.Object({
    // Checked when the configuration is resolved; PoolResetOptions gives its real type.
    redis: Type.Any({ description: 'An ioredis client, or a redis:// URL. Env: FLEET_REDIS_URL.' }),
    namespace: Type.Optional(Type.String({
      minLength: 1,
      description: 'Prefix of the fleet\'s Redis keys and channels; one per service. ' +
        'Default fastify-mysql-pool-reset.'
    })),
    heartbeatIntervalMs: Type.Optional(Type.Integer({
      minimum: 1,
      description: 'How often a member renews its heartbeat; it expires after three. Default 5000.'
    }))
  }, { additionalProperties: false })),
  fleetTimeoutMs: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'How long a fleet request waits for the members\' answers. Default 5000.'
  })),
  instanceId: Type.Optional(Type.String({
    minLength: 1,
    description: 'This instance\'s name in the fleet. Default: hostname and pid.'
  })),
  promise: Type.Optional(Type.Literal(true, {
    description: 'Accepted for drop-in use where @fastify/mysql had it; the API is always promise.'
  }))
})

type OwnOptions = Static<typeof OwnOptionsSchema>

/** Joins the instance to a fleet of instances of the same service, through Redis. */
export type FleetOptions = Omit<NonNullable<OwnOptions['fleet']>, 'redis'> & {
  redis: Redis | string
}

/** Options of `fastify.register(poolReset, options)`: the plugin's own, and any mysql2 option. */
export type PoolResetOptions =
  Omit<OwnOptions, 'fleet'> & { fleet?: FleetOptions } & Omit<PoolOptions, 'connectionLimit'>
