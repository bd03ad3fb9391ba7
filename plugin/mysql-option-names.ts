import type { PoolOptions } from 'mysql2'

/**
 * Every option mysql2 accepts for a pool. Options outside this list and outside the plugin's own
 * are refused at registration, so a misspelt key fails loudly instead of being ignored.
 */
export const MYSQL_POOL_OPTION_NAMES = [
  'authPlugins', 'authSwitchHandler', 'bigNumberStrings', 'charset', 'charsetNumber', 'compress',
  'connectAttributes', 'connectTimeout', 'connectionLimit', 'database', 'dateStrings', 'debug',
  'decimalNumbers', 'disableEval', 'enableCleartextPlugin', 'enableKeepAlive', 'flags',
  'gracefulEnd', 'host', 'idleTimeout', 'infileStreamFactory', 'insecureAuth', 'isServer',
  'jsonStrings', 'keepAliveInitialDelay', 'localAddress', 'maxIdle', 'maxPreparedStatements',
  'multipleStatements', 'namedPlaceholders', 'nestTables', 'noBackslashEscapes', 'password',
  'password1', 'password2', 'password3', 'passwordSha1', 'pool', 'port', 'Promise', 'queryFormat',
  'queueLimit', 'resetOnRelease', 'rowsAsArray', 'socketPath', 'ssl', 'stream', 'stringifyObjects',
  'supportBigNumbers', 'timezone', 'trace', 'typeCast', 'uri', 'user', 'waitForConnections'
] as const satisfies ReadonlyArray<keyof PoolOptions>

// Compile-time proof that the list above covers every key of mysql2's PoolOptions type: when a
// mysql2 upgrade adds an option, this line stops the build until the option is listed.
type Unlisted = Exclude<keyof PoolOptions, typeof MYSQL_POOL_OPTION_NAMES[number]>
const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyOptionListed
