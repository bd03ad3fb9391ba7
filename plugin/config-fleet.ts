import { hostname } from 'node:os'
import type { Redis } from 'ioredis'
import { InvalidConfigError } from './errors.js'
import { nonEmpty, sourceName, type Env } from './env.js'
import type { PoolResetOptions } from './options.js'

export interface FleetConfig {
  redis: Redis | string
  namespace: string
  heartbeatIntervalMs: number
  timeoutMs: number
  instanceId: string
}

const DEFAULTS = {
  namespace: 'fastify-mysql-pool-reset',
  heartbeatIntervalMs: 5_000,
  timeoutMs: 5_000
}

/** The fleet settings, or undefined when neither the fleet option nor FLEET_REDIS_URL is set. */
export function resolveFleet (
  options: PoolResetOptions,
  env: Env,
  resetTokens: readonly string[]
): FleetConfig | undefined {
  const source = sourceName(options.fleet, 'fleet.redis', 'FLEET_REDIS_URL')
  const redis = options.fleet?.redis ?? nonEmpty(env.FLEET_REDIS_URL)
  if (redis === undefined) return undefined

  if (typeof redis === 'string' ? !isRedisUrl(redis) : typeof redis.duplicate !== 'function') {
    throw new InvalidConfigError(`${source} must be an ioredis client or a redis:// URL`)
  }
  if (resetTokens.length === 0) {
    throw new InvalidConfigError(
      `${source} needs a reset token to sign fleet commands: set CONNECTION_POOL_RESET_TOKEN`
    )
  }

  return {
    redis,
    namespace: options.fleet?.namespace ?? DEFAULTS.namespace,
    heartbeatIntervalMs: options.fleet?.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
    timeoutMs: options.fleetTimeoutMs ?? DEFAULTS.timeoutMs,
    instanceId: options.instanceId ?? `${hostname()}:${process.pid}`
  }
}

function isRedisUrl (value: string): boolean {
  // The URL may hold a password, so it is checked here and never echoed.
  return URL.canParse(value) && ['redis:', 'rediss:'].includes(new URL(value).protocol)
}
