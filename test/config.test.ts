import Fastify from 'fastify'
import { test } from 'tap'
import poolReset, { type PoolResetOptions } from '../plugin/index.js'
import { DEFAULT_DATABASE_URL, resolveConfig } from '../plugin/config.js'
import { TOKEN, captureLogs } from './helpers/app.js'

const SHORT_SECRET = 'short-secret-value'

/** Registers the plugin with `options` and returns the start-up error, if any. */
async function startUpError (options: PoolResetOptions): Promise<Error | undefined> {
  const app = Fastify()
  try {
    await app.register(poolReset, options)
    await app.ready()
    return undefined
  } catch (error) {
    return error as Error
  } finally {
    await app.close()
  }
}

test('bad options stop start-up with one message naming the option', async (t) => {
  const cases: Array<[PoolResetOptions, RegExp]> = [
    [{ connectionLimit: 0 }, /option connectionLimit/],
    [{ connectionLimit: 2.5 }, /option connectionLimit/],
    [{ drainTimeoutMs: -1 }, /option drainTimeoutMs/],
    [{ routePath: 'no-slash' }, /option routePath/],
    [{ trustedOrigins: ['ops.example.com'] }, /option trustedOrigins entry "ops.example.com"/],
    [{ resetToken: SHORT_SECRET }, /option resetToken must hold .* at least 32 printable/],
    [{ resetToken: `${TOKEN} ` }, /option resetToken .*without whitespace/],
    [{ connectionString: 'postgres://x@127.0.0.1/db' }, /option connectionString must be a URL/],
    [{ connectTimeout: 0 }, /option connectTimeout/],
    [{ connectionString: 'mysql://app:%zz@127.0.0.1/db' }, /mysql2 refused the pool options: URI/],
    [{ ssl: 'nope' }, /mysql2 refused the pool options: Unknown SSL profile/],
    [{ resetToken: 'é'.repeat(40) }, /option resetToken .*printable ASCII/],
    [{ requireTokenWithoutOrigin: true }, /option requireTokenWithoutOrigin needs a token/],
    [{ conectionLimit: 3 } as PoolResetOptions, /unknown option "conectionLimit"/]
  ]

  for (const [options, message] of cases) {
    const error = await startUpError(options)
    t.match(error, { code: 'POOL_RESET_INVALID_CONFIG', message }, JSON.stringify(options))
    t.notMatch(error?.message, SHORT_SECRET, 'the secret is not printed')
  }
})

test('bad environment stops start-up with a message naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ DB_CONNECTION_LIMIT: 'ten' }, /DB_CONNECTION_LIMIT must be a positive integer/],
    [{ DB_CONNECTION_LIMIT: '0' }, /DB_CONNECTION_LIMIT/],
    [{ DB_CONNECTION_LIMIT: '1e3' }, /DB_CONNECTION_LIMIT/],
    [{ POOL_DRAIN_TIMEOUT_MS: '-5' }, /POOL_DRAIN_TIMEOUT_MS/],
    [{ TRUSTED_ORIGINS: 'https://ok.example.com, ftp://files' },
      /TRUSTED_ORIGINS entry "ftp:\/\/files"/],
    [{ CONNECTION_POOL_RESET_TOKEN: SHORT_SECRET },
      /^invalid configuration: CONNECTION_POOL_RESET_TOKEN must/],
    [{ CONNECTION_POOL_RESET_TOKEN: `${TOKEN},` }, /CONNECTION_POOL_RESET_TOKEN/],
    [{ DATABASE_URL: 'mysql://user:hunter2-password@[bad' }, /DATABASE_URL must be a URL/]
  ]

  for (const [env, message] of cases) {
    const error = catchError(() => resolveConfig({}, env))
    t.match(error, { code: 'POOL_RESET_INVALID_CONFIG', message }, Object.keys(env).join())
    t.notMatch(error?.message, /short-secret|hunter2/, 'no secret in the message')
  }
})

test('the environment fills in what the options leave out', async (t) => {
  const config = resolveConfig({}, {
    CONNECTION_POOL_RESET_TOKEN: `${TOKEN},${TOKEN}-next`,
    DATABASE_URL: 'mysql://app:pw@db.internal:3307/orders',
    DB_CONNECTION_LIMIT: '25',
    TRUSTED_ORIGINS: ' https://ops.example.com/ ,, http://LOCALHOST:3000',
    POOL_DRAIN_TIMEOUT_MS: '5000'
  })

  t.same(config.resetTokens, [TOKEN, `${TOKEN}-next`])
  t.match(config.poolOptions, {
    uri: 'mysql://app:pw@db.internal:3307/orders',
    connectionLimit: 25
  })
  t.equal(config.isTrustedOrigin('https://ops.example.com'), true)
  t.equal(config.isTrustedOrigin('http://localhost:3000'), true)
  t.equal(config.isTrustedOrigin('https://other.example.com'), false)
  t.equal(config.drainTimeoutMs, 5000)
  t.equal(config.usesDefaultDatabase, false)
})

test('options win over the environment', async (t) => {
  const env = {
    CONNECTION_POOL_RESET_TOKEN: SHORT_SECRET,
    DATABASE_URL: 'mysql://env@127.0.0.1/env',
    DB_CONNECTION_LIMIT: '25',
    TRUSTED_ORIGINS: 'not an origin',
    POOL_DRAIN_TIMEOUT_MS: '5000'
  }
  const options: PoolResetOptions = {
    resetToken: TOKEN,
    connectionString: 'mysql://opt@127.0.0.1/opt',
    connectionLimit: 3,
    trustedOrigins: [],
    drainTimeoutMs: 100,
    charset: 'utf8mb4',
    timezone: 'Z'
  }

  const config = resolveConfig(options, env)

  t.same(config.resetTokens, [TOKEN])
  t.same(config.poolOptions, {
    charset: 'utf8mb4',
    timezone: 'Z',
    uri: 'mysql://opt@127.0.0.1/opt',
    connectionLimit: 3,
    connectTimeout: 10000
  })
  t.equal(config.isTrustedOrigin('https://ops.example.com'), false, 'the empty option list wins')
  t.equal(config.drainTimeoutMs, 100)
  t.same(Object.keys(options).length, 7, 'the caller\'s object is left as it was')
})

test('explicit host options are used as given, without DATABASE_URL', async (t) => {
  const env = { DATABASE_URL: 'mysql://x@y/z' }
  const config = resolveConfig({ host: '127.0.0.1', user: 'app' }, env)

  t.same(config.poolOptions, {
    host: '127.0.0.1', user: 'app', connectionLimit: 10, connectTimeout: 10000
  })
})

test('with nothing configured, the default database is used and reset is disabled', async (t) => {
  const config = resolveConfig({}, {})

  t.equal(config.poolOptions.uri, DEFAULT_DATABASE_URL)
  t.equal(config.usesDefaultDatabase, true)
  t.same(config.resetTokens, [])
  t.equal(config.routePath, '/api/internal/reset-connection-pool')
})

test('the plugin reads process.env and says when it uses the default database', async (t) => {
  const { lines, logger } = captureLogs('info')
  const app = Fastify({ logger })
  t.after(async () => { await app.close() })
  const saved = process.env.DATABASE_URL
  delete process.env.DATABASE_URL
  t.after(() => { if (saved !== undefined) process.env.DATABASE_URL = saved })

  await app.register(poolReset, { promise: true })
  await app.ready()

  const notice = `DATABASE_URL is not set; using ${DEFAULT_DATABASE_URL}`
  t.ok(lines.some((line) => line.includes(notice)))
})

function catchError (action: () => unknown): Error | undefined {
  try {
    action()
    return undefined
  } catch (error) {
    return error as Error
  }
}

test('an empty or blank variable counts as unset', async (t) => {
  const config = resolveConfig({}, {
    DB_CONNECTION_LIMIT: '',
    POOL_DRAIN_TIMEOUT_MS: '   ',
    DATABASE_URL: ' ',
    TRUSTED_ORIGINS: ' , '
  })

  t.equal(config.poolOptions.connectionLimit, 10)
  t.equal(config.drainTimeoutMs, 30000)
  t.equal(config.usesDefaultDatabase, true)
  t.equal(config.isTrustedOrigin('https://ops.example.com'), false)
})

test('an ssl option wins over DB_SSL_CA, which is then not read', async (t) => {
  const config = resolveConfig({ ssl: { rejectUnauthorized: true } }, { DB_SSL_CA: '/nonexistent' })

  t.same(config.poolOptions.ssl, { rejectUnauthorized: true })
})

test('allowed networks come from the option or ALLOWED_NETWORKS and must parse', async (t) => {
  t.throws(() => resolveConfig({ allowedNetworks: ['10.0.0.0/8', 'office'] }, {}),
    { message: /option allowedNetworks entry "office" is not a network/ })
  t.throws(() => resolveConfig({}, { ALLOWED_NETWORKS: '10.0.0.0/40' }),
    { message: /ALLOWED_NETWORKS entry "10.0.0.0\/40"/ })

  const config = resolveConfig({}, { ALLOWED_NETWORKS: '10.0.0.0/8, ::1' })
  t.equal(config.isAllowedNetwork?.('10.1.1.1'), true)
  t.equal(config.isAllowedNetwork?.('192.0.2.1'), false)
  t.equal(resolveConfig({}, {}).isAllowedNetwork, undefined, 'unset: every client')
})

test('fleet settings come from the option or FLEET_REDIS_URL, and need a token', async (t) => {
  const env = { FLEET_REDIS_URL: 'redis://127.0.0.1:6379' }
  const fromEnv = resolveConfig({ resetToken: TOKEN }, env)
  t.match(fromEnv.fleet, {
    redis: 'redis://127.0.0.1:6379',
    namespace: 'fastify-mysql-pool-reset',
    heartbeatIntervalMs: 5000,
    timeoutMs: 5000,
    instanceId: /^.+:\d+$/
  })
  t.equal(resolveConfig({}, {}).fleet, undefined)

  t.throws(() => resolveConfig({}, { FLEET_REDIS_URL: 'redis://127.0.0.1:6379' }),
    { message: /FLEET_REDIS_URL needs a reset token/ })
  t.throws(() => resolveConfig({ resetToken: TOKEN }, { FLEET_REDIS_URL: 'http://x:hunter2@h' }),
    { message: /^((?!hunter2).)*FLEET_REDIS_URL must be an ioredis client or a redis:\/\/ URL$/ })
  t.throws(() => resolveConfig({ resetToken: TOKEN, fleet: { redis: {} as never } }, {}),
    { message: /option fleet.redis must be/ })
  t.throws(() => resolveConfig({ fleet: { redis: 'redis://h', extra: 1 } as never }, {}),
    { message: /option fleet/ })
})
