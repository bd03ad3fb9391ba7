import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import poolReset from '../../plugin/index.js'
import { TOKEN, captureLogs, connectionIdOf } from '../helpers/app.js'
import { createPluginUser } from '../helpers/database.js'

// Field case 1: connections the server killed must leave the pool and never be reused.
test('killed idle connections leave the pool and the status', async (t) => {
  const db = await createPluginUser(t)
  const { lines: logLines, logger } = captureLogs('warn')
  const app = Fastify({ logger })
  t.after(async () => { await app.close() })
  await app.register(poolReset, { ...db.connection, resetToken: TOKEN, connectionLimit: 5 })
  await Promise.all(Array.from({ length: 5 }, async () =>
    await app.mysql.query<RowDataPacket[]>('SELECT SLEEP(0.1)')))
  const killed = await db.threadIds()
  t.equal(killed.length, 5, 'the pool is warm')

  for (const id of killed) await db.admin.query('KILL CONNECTION ?', [id])
  await sleep(500)

  t.match(app.mysql.status().current, { total: 0, idle: 0, active: 0 }, 'no ghost is counted')
  const queries = Array.from({ length: 10 }, async () => await connectionIdOf(app))
  const usedIds = await Promise.all(queries)
  t.same(usedIds.filter((id) => killed.includes(id)), [], 'no killed connection is reused')
  t.ok(logLines.some((line) => line.includes('a database connection failed and left the pool')),
    'the loss is logged')
})
