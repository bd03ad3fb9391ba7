import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { PoolOptions } from 'mysql2'
import { InvalidConfigError } from './errors.js'
import { MYSQL_POOL_OPTION_NAMES } from './mysql-option-names.js'
import { normaliseOrigin } from './origin.js'
import { OwnOptionsSchema, type PoolResetOptions } from './options.js'

export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/test'
export const DEFAULT_ROUTE_PATH = '/api/internal/reset-connection-pool'
const DEFAULT_CONNECTION_LIMIT = 10
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000
const MIN_TOKEN_LENGTH = 32

/** Everything the plugin needs, checked and with defaults applied. */
export interface PluginConfig {
  /** Handed to mysql2 for every pool; copy it before use, mysql2 writes into it. */
  poolOptions: PoolOptions
  connectTimeoutMs: number
  drainTimeoutMs: number
  acquireTimeoutMs: number
  resetTokens: string[]
  trustedOrigins: ReadonlySet<string>
  requireTokenWithoutOrigin: boolean
  routePath: string
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

type Env = Record<string, string | undefined>

/**
 * Checks the register options and the environment, and fails with one message naming the
 * option or variable at fault. Never changes `options`, never echoes a secret.
 */
export function resolveConfig (options: PoolResetOptions, env: Env): PluginConfig {
  checkOptionShapes(options)

  const database = resolveDatabase(options, env)
  const connectTimeoutMs = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS
  const poolOptions: PoolOptions = {
    ...pickMysqlOptions(options),
    ...database.location,
    connectionLimit: options.connectionLimit ?? positiveInteger(env, 'DB_CONNECTION_LIMIT') ??
      DEFAULT_CONNECTION_LIMIT,
    connectTimeout: connectTimeoutMs
  }

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
      DEFAULT_DRAIN_TIMEOUT_MS,
    acquireTimeoutMs: options.acquireTimeoutMs ?? positiveInteger(env, 'DB_ACQUIRE_TIMEOUT_MS') ??
      DEFAULT_ACQUIRE_TIMEOUT_MS,
    resetTokens,
    trustedOrigins: resolveOrigins(options, env),
    requireTokenWithoutOrigin: options.requireTokenWithoutOrigin ?? false,
    routePath: options.routePath ?? DEFAULT_ROUTE_PATH,
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

function pickMysqlOptions (options: PoolResetOptions): PoolOptions {
  const picked: Record<string, unknown> = {}
  for (const name of MYSQL_POOL_OPTION_NAMES) {
    if (name in options) picked[name] = options[name]
  }
  return picked
}

interface DatabaseLocation {
  location: PoolOptions
  isDefault: boolean
}

/** An explicit location in the options wins; otherwise DATABASE_URL, otherwise the default. */
function resolveDatabase (options: PoolResetOptions, env: Env): DatabaseLocation {
  if (options.connectionString !== undefined) {
    const uri = mysqlUrl(options.connectionString, 'option connectionString')
    return { location: { uri }, isDefault: false }
  }
  if (options.uri !== undefined || options.host !== undefined || options.socketPath !== undefined) {
    return { location: {}, isDefault: false }
  }

  const fromEnv = nonEmpty(env.DATABASE_URL)
  return {
    location: { uri: mysqlUrl(fromEnv ?? DEFAULT_DATABASE_URL, 'DATABASE_URL') },
    isDefault: fromEnv === undefined
  }
}

function mysqlUrl (value: string, source: string): string {
  // The URL may hold a password, so the message names the source and never the value.
  if (!URL.canParse(value) || new URL(value).protocol !== 'mysql:') {
    throw new InvalidConfigError(
      `${source} must be a URL such as mysql://user:password@host:3306/db`
    )
  }
  return value
}

function resolveTokens (options: PoolResetOptions, env: Env): string[] {
  const source = options.resetToken !== undefined
    ? 'option resetToken'
    : 'CONNECTION_POOL_RESET_TOKEN'
  const raw = options.resetToken ?? env.CONNECTION_POOL_RESET_TOKEN ?? ''
  if (raw === '') return []

  const tokens = raw.split(',')
  if (tokens.some((token) => token.length < MIN_TOKEN_LENGTH || /\s/.test(token))) {
    throw new InvalidConfigError(
      `${source} must hold comma-separated tokens of at least ${MIN_TOKEN_LENGTH} characters ` +
      'without whitespace (make one with: openssl rand -hex 32)'
    )
  }
  return tokens
}

function resolveOrigins (options: PoolResetOptions, env: Env): Set<string> {
  const source = options.trustedOrigins !== undefined ? 'option trustedOrigins' : 'TRUSTED_ORIGINS'
  const entries = options.trustedOrigins ?? (env.TRUSTED_ORIGINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')

  return new Set(entries.map((entry) => {
    const origin = normaliseOrigin(entry)
    if (origin === undefined) {
      throw new InvalidConfigError(
        `${source} entry "${entry}" is not an origin such as https://ops.example.com`
      )
    }
    return origin
  }))
}

function positiveInteger (env: Env, name: string): number | undefined {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return undefined

  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !isPositiveInteger(value)) {
    throw new InvalidConfigError(`${name} must be a positive integer`)
  }
  return value
}

function isPositiveInteger (value: number): boolean {
  return Number.isSafeInteger(value) && value > 0
}

function nonEmpty (value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === '' ? undefined : trimmed
}
