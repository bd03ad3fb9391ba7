import { TypeCompiler } from '@sinclair/typebox/compiler'
import { createPool, type PoolOptions } from 'mysql2'
import { resolveDatabase } from './config-database.js'
import { resolveFleet, type FleetConfig } from './config-fleet.js'
import { resolveTokens } from './config-tokens.js'
import { commaList, isPositiveInteger, positiveInteger, sourceName, type Env } from './env.js'
import { InvalidConfigError } from './errors.js'
import { MYSQL_POOL_OPTION_NAMES } from './mysql-option-names.js'
import { parseNetworkAllowlist, type NetworkAllowlist } from './networks.js'
import { OwnOptionsSchema, type PoolResetOptions } from './options.js'
import { parseOriginAllowlist, type OriginAllowlist } from './origin.js'

export { DEFAULT_DATABASE_URL } from './config-database.js'
export const DEFAULT_ROUTE_PATH = '/api/internal/reset-connection-pool'

const DEFAULTS = {
  connectionLimit: 10,
  drainTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  acquireTimeoutMs: 10_000,
  maxFailedAttempts: 5,
  failedAttemptWindowMs: 60_000,
  minResetIntervalMs: 10_000
}

/** Everything the plugin needs, checked and with defaults applied. */
export interface PluginConfig {
  /** Handed to mysql2 for every pool; copy it before use, mysql2 writes into it. */
  poolOptions: PoolOptions
  connectTimeoutMs: number
  drainTimeoutMs: number
  acquireTimeoutMs: number
  resetTokens: string[]
  isTrustedOrigin: OriginAllowlist
  /** Undefined when every client address may reach the routes. */
  isAllowedNetwork: NetworkAllowlist | undefined
  requireTokenWithoutOrigin: boolean
  maxFailedAttempts: number
  failedAttemptWindowMs: number
  minResetIntervalMs: number
  routePath: string
  /** Undefined when the instance is not part of a fleet. */
  fleet: FleetConfig | undefined
  /** True when neither an option nor DATABASE_URL named the database. */
  usesDefaultDatabase: boolean
}

// Fastify hands its own register options to the plugin along with ours.
const FASTIFY_REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers']
const KNOWN_OPTIONS = new Set<string>([
  ...Object.keys(OwnOptionsSchema.properties),
  ...MYSQL_POOL_OPTION_NAMES,
  ...FASTIFY_REGISTER_OPTIONS
])
const ownOptionsCheck = TypeCompiler.Compile(OwnOptionsSchema)

/**
 * Checks the register options and the environment, and fails with one message naming the
 * option or variable at fault. Never changes `options`, never echoes a secret.
 */
export function resolveConfig (options: PoolResetOptions, env: Env): PluginConfig {
  checkOptionShapes(options)

  const database = resolveDatabase(options, env)
  const connectTimeoutMs = options.connectTimeout ?? DEFAULTS.connectTimeoutMs
  const poolOptions: PoolOptions = {
    ...pickMysqlOptions(options),
    ...database.location,
    connectionLimit: options.connectionLimit ?? positiveInteger(env, 'DB_CONNECTION_LIMIT') ??
      DEFAULTS.connectionLimit,
    connectTimeout: connectTimeoutMs
  }
  checkDriverAccepts(poolOptions)
  const resetTokens = resolveTokens(options, env)
  if (options.requireTokenWithoutOrigin === true && resetTokens.length === 0) {
    throw new InvalidConfigError(
      'option requireTokenWithoutOrigin needs a token: set CONNECTION_POOL_RESET_TOKEN'
    )
  }

  return {
    poolOptions,
    connectTimeoutMs,
    drainTimeoutMs: options.drainTimeoutMs ?? positiveInteger(env, 'POOL_DRAIN_TIMEOUT_MS') ??
      DEFAULTS.drainTimeoutMs,
    acquireTimeoutMs: options.acquireTimeoutMs ?? positiveInteger(env, 'DB_ACQUIRE_TIMEOUT_MS') ??
      DEFAULTS.acquireTimeoutMs,
    resetTokens,
    isTrustedOrigin: resolveOrigins(options, env),
    isAllowedNetwork: resolveNetworks(options, env),
    requireTokenWithoutOrigin: options.requireTokenWithoutOrigin ?? false,
    maxFailedAttempts: options.maxFailedAttempts ?? DEFAULTS.maxFailedAttempts,
    failedAttemptWindowMs: options.failedAttemptWindowMs ?? DEFAULTS.failedAttemptWindowMs,
    minResetIntervalMs: options.minResetIntervalMs ?? DEFAULTS.minResetIntervalMs,
    routePath: options.routePath ?? DEFAULT_ROUTE_PATH,
    fleet: resolveFleet(options, env, resetTokens),
    usesDefaultDatabase: database.isDefault
  }
}

function checkOptionShapes (options: PoolResetOptions): void {
  const unknown = Object.keys(options).find((key) => !KNOWN_OPTIONS.has(key))
  if (unknown !== undefined) {
    throw new InvalidConfigError(`unknown option "${unknown}"`)
  }

  const error = ownOptionsCheck.Errors(options).First()
  if (error !== undefined) {
    const name = error.path.slice(1).replaceAll('/', '.')
    throw new InvalidConfigError(`option ${name}: ${error.message.toLowerCase()}`)
  }

  if (options.connectTimeout !== undefined && !isPositiveInteger(options.connectTimeout)) {
    throw new InvalidConfigError('option connectTimeout: expected a positive integer')
  }
}

/** mysql2 checks its options when a pool is made, without connecting: fail at start-up. */
function checkDriverAccepts (poolOptions: PoolOptions): void {
  try {
    createPool({ ...poolOptions }).end(() => {})
  } catch (error) {
    throw new InvalidConfigError(`mysql2 refused the pool options: ${(error as Error).message}`)
  }
}

function pickMysqlOptions (options: PoolResetOptions): PoolOptions {
  const picked: Record<string, unknown> = {}
  for (const name of MYSQL_POOL_OPTION_NAMES) {
    if (name in options) picked[name] = options[name]
  }
  return picked
}

function resolveOrigins (options: PoolResetOptions, env: Env): OriginAllowlist {
  const source = sourceName(options.trustedOrigins, 'trustedOrigins', 'TRUSTED_ORIGINS')
  const entries = options.trustedOrigins ?? commaList(env, 'TRUSTED_ORIGINS')
  const allowlist = parseOriginAllowlist(entries)

  if (typeof allowlist === 'string') {
    throw new InvalidConfigError(
      `${source} entry "${allowlist}" is not an origin such as https://ops.example.com ` +
      'or https://*.example.com'
    )
  }
  return allowlist
}

function resolveNetworks (options: PoolResetOptions, env: Env): NetworkAllowlist | undefined {
  const source = sourceName(options.allowedNetworks, 'allowedNetworks', 'ALLOWED_NETWORKS')
  const entries = options.allowedNetworks ?? commaList(env, 'ALLOWED_NETWORKS')
  if (entries.length === 0) return undefined

  const allowlist = parseNetworkAllowlist(entries)
  if (typeof allowlist === 'string') {
    throw new InvalidConfigError(
      `${source} entry "${allowlist}" is not a network such as 10.0.0.0/8 or fd00::/8`
    )
  }
  return allowlist
}
