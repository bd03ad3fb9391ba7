import Fastify, { type FastifyRequest } from 'fastify'
import { test } from 'tap'
import poolReset, { resetTokenRedactPaths } from '../plugin/index.js'
import { ROUTE, TOKEN, buildApp, captureLogs, postReset } from './helpers/app.js'
import { createPluginUser } from './helpers/database.js'

interface AuditLine {
  level: number
  reqId: string
  msg: string
  audit: Record<string, unknown>
}

const auditLines = (lines: string[]): AuditLine[] =>
  lines.map((line) => JSON.parse(line) as AuditLine).filter((line) => line.audit !== undefined)

test('every call of either route writes one audit line', async (t) => {
  const { lines, logger } = captureLogs('info')
  const { app, db } = await buildApp(t, {
    maxFailedAttempts: 1, minResetIntervalMs: 60_000, allowedNetworks: ['127.0.0.0/8', '10.0.0.0/8']
  }, { logger })
  const agent = { 'user-agent': 'ops-cli/1.0' }
  const lockUser = async (verb: 'LOCK' | 'UNLOCK'): Promise<void> => {
    await db.admin.query(`ALTER USER ?@? ACCOUNT ${verb}`, [db.connection.user, '%'])
  }
  t.after(async () => { await lockUser('UNLOCK') })

  await app.inject({ url: ROUTE, headers: agent })
  await lockUser('LOCK')
  await postReset(app, { ...agent, 'x-reset-token': TOKEN })
  await lockUser('UNLOCK')
  await postReset(app, { ...agent, 'x-reset-token': TOKEN })
  await postReset(app, { ...agent, 'x-reset-token': TOKEN })
  await postReset(app, { ...agent, origin: 'https://evil.example.com' })
  await app.inject({ url: ROUTE, remoteAddress: '192.0.2.1' })
  await app.inject({
    method: 'POST',
    url: ROUTE,
    headers: { 'x-reset-token': 'w'.repeat(40) },
    remoteAddress: '10.9.9.9'
  })
  await app.inject({ method: 'DELETE', url: ROUTE })

  const audits = auditLines(lines)
  t.equal(audits.length, 8, 'one line per call')
  t.match(audits[0], {
    level: 30,
    audit: {
      route: `GET ${ROUTE}`,
      outcome: 'status',
      clientAddress: '127.0.0.1',
      userAgent: 'ops-cli/1.0',
      generationBefore: 1,
      generationAfter: 1,
      durationMs: Number
    }
  })
  t.match(audits[1], { level: 40, audit: { outcome: 'failed', reason: 'POOL_RESET_FAILED' } })
  t.match(audits[2], {
    level: 40,
    audit: { route: `POST ${ROUTE}`, outcome: 'reset', generationBefore: 1, generationAfter: 2 }
  })
  t.match(audits[3], { audit: { outcome: 'rate-limited', reason: 'POOL_RESET_TOO_SOON' } })
  t.match(audits[4], { audit: { outcome: 'denied', reason: 'POOL_RESET_UNTRUSTED_ORIGIN' } })
  t.match(audits[5], {
    audit: { outcome: 'denied', reason: 'network not allowed', clientAddress: '192.0.2.1' }
  })
  t.match(audits[6], { audit: { outcome: 'denied', reason: 'POOL_RESET_TOKEN_INVALID' } })
  t.match(audits[7], { audit: { outcome: 'denied', reason: 'POOL_RESET_METHOD_NOT_ALLOWED' } })
  t.ok(audits.slice(1).every((line) => line.level === 40), 'resets and refusals log at warn')
  t.ok(audits.every((line) => typeof line.reqId === 'string'), 'each carries the request id')
})

test('clients outside allowedNetworks see the routes as missing', async (t) => {
  const { app } = await buildApp(t, { allowedNetworks: ['10.0.0.0/8', '127.0.0.1'] })
  const missing = await app.inject({ url: '/no/such/route', remoteAddress: '192.0.2.1' })

  for (const method of ['GET', 'POST', 'PUT'] as const) {
    const outside = await app.inject({
      method, url: ROUTE, headers: { 'x-reset-token': TOKEN }, remoteAddress: '192.0.2.1'
    })
    t.equal(outside.statusCode, 404, method)
    t.same(outside.json(), { ...missing.json(), message: outside.json().message })
  }
  t.equal((await app.inject({ url: ROUTE, remoteAddress: '10.20.30.40' })).statusCode, 200)
  t.equal(app.mysql.status().generation, 1)
})

test('the token never reaches the log, also when headers are logged', async (t) => {
  const db = await createPluginUser(t)
  const logsWith = async (redact: string[]): Promise<string> => {
    const { lines, logger } = captureLogs('trace')
    const app = Fastify({
      logger: {
        ...logger,
        redact,
        serializers: {
          req: (request: FastifyRequest) => ({ method: request.method, headers: request.headers })
        }
      }
    })
    t.after(async () => { await app.close() })
    await app.register(poolReset, { ...db.connection, resetToken: TOKEN })
    await postReset(app, { 'x-reset-token': TOKEN })
    await postReset(app, { 'x-reset-token': TOKEN.slice(1) })
    await app.inject({ url: ROUTE, headers: { 'x-reset-token': TOKEN } })
    return lines.join('')
  }

  t.match(await logsWith([]), TOKEN.slice(1),
    'without redaction a header-logging logger would leak it')
  const redacted = await logsWith(resetTokenRedactPaths)
  t.notMatch(redacted, TOKEN.slice(1), 'with the documented redaction, neither token appears')
  t.match(redacted, '[Redacted]')
})
