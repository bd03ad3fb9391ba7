import Fastify from 'fastify'
import { test } from 'tap'
import poolReset, { type PoolResetOptions } from '../plugin/index.js'
import { TOKEN } from './helpers/app.js'
import { createPluginUser } from './helpers/database.js'
import type { TestContext } from './helpers/context.js'

async function openApp (t: TestContext, options: PoolResetOptions = {}) {
  const db = await createPluginUser(t)
  const app = Fastify()
  await app.register(poolReset, { ...db.connection, resetToken: TOKEN, ...options })
  await app.ready()
  return { app, db }
}

test('close leaves no connection of the plugin on the server', async (t) => {
  const { app, db } = await openApp(t)
  const sleeps = Array.from({ length: 5 }, async () => await app.mysql.query('SELECT SLEEP(0.05)'))
  await Promise.all(sleeps)
  await app.mysql.reset()
  await app.mysql.query('SELECT 1')
  t.ok((await db.threadIds()).length > 0, 'the plugin had connections open')

  await app.close()

  t.equal(await db.settleAt(0), 0)
})

test('close while a reset drains waits for a borrowed connection up to the deadline', async (t) => {
  const { app, db } = await openApp(t, { drainTimeoutMs: 300 })
  const borrowed = await app.mysql.getConnection()
  await app.mysql.reset()
  t.equal(app.mysql.status().draining.length, 1)

  await app.close()

  t.equal(await db.settleAt(0), 0, 'the borrowed connection was destroyed at the deadline')
  borrowed.release()
})

test('after close, calls fail with a typed error and nothing reconnects', async (t) => {
  const { app, db } = await openApp(t)
  const { query } = app.mysql
  await app.close()

  await t.rejects(query('SELECT 1'), { code: 'POOL_RESET_CLOSED' })
  await t.rejects(app.mysql.getConnection(), { code: 'POOL_RESET_CLOSED' })
  await t.rejects(app.mysql.reset(), { code: 'POOL_RESET_CLOSED' })
  t.equal(app.mysql.escape(1), '1', 'formatting helpers still work')
  t.equal(await db.settleAt(0), 0)
})

test('callers still queued at close are refused, not left waiting', async (t) => {
  const { app, db } = await openApp(t, { connectionLimit: 1, drainTimeoutMs: 200 })
  const borrowed = await app.mysql.getConnection()
  const refused = t.rejects(app.mysql.query('SELECT 1'), { code: 'POOL_RESET_CLOSED' })
  t.equal(app.mysql.status().current.queued, 1)

  await app.close()

  await refused
  borrowed.release()
  t.equal(await db.settleAt(0), 0)
})

test('close during a reset lets the reset finish, then closes every pool', async (t) => {
  const { app, db } = await openApp(t)
  const resetting = t.rejects(app.mysql.reset(), { code: 'POOL_RESET_CLOSED' },
    'shutdown wins over the new pool')

  await app.close()

  await resetting
  t.equal(await db.settleAt(0), 0)
})
