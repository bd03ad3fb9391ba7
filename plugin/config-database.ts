import type { PoolOptions } from 'mysql2'
import { InvalidConfigError } from './errors.js'
import { nonEmpty, readConfigFile, type Env } from './env.js'
import type { PoolResetOptions } from './options.js'

export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/test'

export interface DatabaseLocation {
  /** Where to connect, and TLS when DB_SSL_CA asks for it. */
  location: PoolOptions
  /** True when neither an option nor DATABASE_URL named the database. */
  isDefault: boolean
}

/** An explicit location in the options wins; otherwise DATABASE_URL, otherwise the default. */
export function resolveDatabase (options: PoolResetOptions, env: Env): DatabaseLocation {
  const tls = options.ssl === undefined ? verifiedTls(env) : {}

  if (options.connectionString !== undefined) {
    const uri = mysqlUrl(options.connectionString, 'option connectionString')
    return { location: { ...tls, uri }, isDefault: false }
  }
  if (options.uri !== undefined || options.host !== undefined || options.socketPath !== undefined) {
    return { location: tls, isDefault: false }
  }

  const fromEnv = nonEmpty(env.DATABASE_URL)
  return {
    location: { ...tls, uri: mysqlUrl(fromEnv ?? DEFAULT_DATABASE_URL, 'DATABASE_URL') },
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

/**
 * DB_SSL_CA names the CA that signed the server's certificate: TLS becomes mandatory and the
 * certificate is verified. mysql2 then refuses a server without TLS rather than falling back.
 */
function verifiedTls (env: Env): PoolOptions {
  const caPath = nonEmpty(env.DB_SSL_CA)
  if (caPath === undefined) return {}

  return { ssl: { ca: readConfigFile(caPath, 'DB_SSL_CA'), rejectUnauthorized: true } }
}
