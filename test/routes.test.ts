import { test } from 'tap'
import { ROUTE, TOKEN, buildApp, postReset } from './helpers/app.js'

const TRUSTED = 'https://ops.example.com'

test('GET reports the state from the driver', async (t) => {
  const { app } = await buildApp(t, { connectionLimit: 4 })
  const borrowed = await app.mysql.getConnection()
  await app.mysql.query('SELECT 1')

  const response = await app.inject({ url: ROUTE })

  t.equal(response.statusCode, 200)
  t.equal(response.headers['cache-control'], 'no-store')
  const body = response.json()
  t.match(body, {
    generation: 1,
    createdAt: String,
    lastReset: null,
    limits: {
      connectionLimit: 4,
      queueLimit: 0,
      drainTimeoutMs: 30000,
      connectTimeoutMs: 10000,
      acquireTimeoutMs: 10000
    },
    current: { total: 2, idle: 1, active: 1, queued: 0 },
    draining: []
  })
  borrowed.release()
})

test('GET lists the pools still draining', async (t) => {
  const { app } = await buildApp(t)
  const borrowed = await app.mysql.getConnection()
  await app.mysql.reset()

  const body = (await app.inject({ url: ROUTE })).json()

  t.match(body, {
    generation: 2,
    lastReset: { outcome: 'succeeded', generation: 2, durationMs: Number, at: String },
    draining: [{ generation: 1, drainingSince: String, total: 1, active: 1, idle: 0, queued: 0 }]
  })
  borrowed.release()
})

test('GET checks Origin, then Referer, against the allowlist', async (t) => {
  const { app } = await buildApp(t, { trustedOrigins: [TRUSTED, 'http://127.0.0.1:8080'] })
  const statusFor = async (headers: Record<string, string>) =>
    (await app.inject({ url: ROUTE, headers })).statusCode

  t.equal(await statusFor({}), 200, 'curl and server-to-server calls pass')
  t.equal(await statusFor({ origin: 'HTTPS://OPS.example.com:443/' }), 200, 'normalised origin')
  t.equal(await statusFor({ origin: 'http://127.0.0.1:8080' }), 200)
  t.equal(await statusFor({ referer: 'https://ops.example.com/dashboard?x=1' }), 200)
  for (const origin of [
    'null', '', 'https://evil.example.com', 'https://ops.example.com.evil.net',
    'http://ops.example.com', 'https://ops.example.com:8443', 'https://0ps.example.com',
    'https://ops.example.com/path', 'not a url', 'http://127.0.0.1:8081'
  ]) {
    const response = await app.inject({ url: ROUTE, headers: { origin, 'x-reset-token': TOKEN } })
    t.equal(response.statusCode, 403, `Origin ${JSON.stringify(origin)}`)
    t.equal(response.json().code, 'POOL_RESET_UNTRUSTED_ORIGIN')
    t.equal(response.headers['cache-control'], 'no-store')
  }
  t.equal(await statusFor({ referer: 'https://evil.example.com/' }), 403)
  t.equal(await statusFor({ referer: 'garbage' }), 403)
  t.equal(await statusFor({ origin: 'https://evil.example.com', referer: TRUSTED }), 403,
    'a trusted Referer does not rescue an untrusted Origin')
})

test('with no allowlist, any request that names an origin is refused', async (t) => {
  const { app } = await buildApp(t)

  const response = await app.inject({ url: ROUTE, headers: { origin: 'http://localhost:3000' } })

  t.equal(response.statusCode, 403)
})

test('GET can require the token from callers that name no origin', async (t) => {
  const { app } = await buildApp(t, { trustedOrigins: [TRUSTED], requireTokenWithoutOrigin: true })

  t.equal((await app.inject({ url: ROUTE })).statusCode, 401)
  t.equal((await app.inject({ url: ROUTE, headers: { 'x-reset-token': 'nope' } })).statusCode, 401)
  t.equal((await app.inject({ url: ROUTE, headers: { 'x-reset-token': TOKEN } })).statusCode, 200)
  t.equal((await app.inject({ url: ROUTE, headers: { origin: TRUSTED } })).statusCode, 200)
})

test('POST resets with the token in any header case', async (t) => {
  const { app } = await buildApp(t)

  for (const [index, name] of ['x-reset-token', 'X-Reset-Token', 'X-RESET-TOKEN'].entries()) {
    const response = await app.inject({ method: 'POST', url: ROUTE, headers: { [name]: TOKEN } })
    t.equal(response.statusCode, 200, name)
    t.equal(response.headers['cache-control'], 'no-store')
    t.match(response.json(), {
      previousGeneration: index + 1,
      generation: index + 2,
      before: { total: Number, idle: Number, active: Number, queued: Number },
      after: { total: 1, idle: 1, active: 0, queued: 0 },
      durationMs: Number,
      at: String
    })
  }
})

test('POST refusals never touch the pool', async (t) => {
  const { app } = await buildApp(t, { trustedOrigins: [TRUSTED] })
  const cases: Array<[string, Record<string, string | string[]>, number, string]> = [
    ['no token', {}, 401, 'POOL_RESET_TOKEN_MISSING'],
    ['wrong token', { 'x-reset-token': TOKEN.replace(/.$/, '!') }, 401, 'POOL_RESET_TOKEN_INVALID'],
    ['empty token', { 'x-reset-token': '' }, 401, 'POOL_RESET_TOKEN_INVALID'],
    ['token sent twice', { 'x-reset-token': [TOKEN, TOKEN] }, 401, 'POOL_RESET_TOKEN_INVALID'],
    ['untrusted origin with the token',
      { origin: 'https://evil.example.com', 'x-reset-token': TOKEN },
      403, 'POOL_RESET_UNTRUSTED_ORIGIN']
  ]

  for (const [name, headers, statusCode, code] of cases) {
    const response = await postReset(app, headers)
    t.equal(response.statusCode, statusCode, name)
    t.same(Object.keys(response.json()).sort(), ['code', 'error', 'message', 'statusCode'])
    t.equal(response.json().code, code)
    t.notMatch(response.body, TOKEN, 'the token is not echoed')
  }
  t.match(app.mysql.status(), { generation: 1, lastReset: null })
})

test('POST answers 503 when no token is configured', async (t) => {
  const { app } = await buildApp(t, { resetToken: '' })

  const response = await postReset(app, { 'x-reset-token': '' })

  t.equal(response.statusCode, 503)
  t.equal(response.json().code, 'POOL_RESET_DISABLED')
  t.equal(app.mysql.status().generation, 1)
  t.equal((await app.inject({ url: ROUTE })).statusCode, 200, 'status still answers')
})

test('POST answers 503 with the reason when the new pool cannot connect', async (t) => {
  const { app, db } = await buildApp(t)
  await app.mysql.query('SELECT 1')
  await db.admin.query('ALTER USER ?@? ACCOUNT LOCK', [db.connection.user, '%'])
  t.after(async () => {
    await db.admin.query('ALTER USER ?@? ACCOUNT UNLOCK', [db.connection.user, '%'])
  })

  const response = await postReset(app, { 'x-reset-token': TOKEN })

  t.equal(response.statusCode, 503)
  t.match(response.json(), { code: 'POOL_RESET_FAILED', message: /previous pool keeps serving/ })
  t.equal(app.mysql.status().generation, 1)
  t.same((await app.mysql.query('SELECT 1 AS one'))[0], [{ one: 1 }], 'the old pool serves')
})
