import { once } from 'node:events'
import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import { buildApp } from './helpers/app.js'
import { startTcpProxy } from './helpers/tcp-proxy.js'
import { waitFor } from './helpers/context.js'

test('a statement stuck behind LOCK TABLES: reset returns, the deadline ends it', async (t) => {
  const { app, db } = await buildApp(t, { drainTimeoutMs: 500 })
  await db.admin.query('CREATE TABLE IF NOT EXISTS locked_orders (id INT)')
  t.after(async () => { await db.admin.query('DROP TABLE IF EXISTS locked_orders') })
  await db.admin.query('LOCK TABLES locked_orders WRITE')
  t.after(async () => { await db.admin.query('UNLOCK TABLES') })
  const stuck = app.mysql.query('SELECT COUNT(*) FROM locked_orders')
  const stuckOutcome = stuck.then(() => 'rows', (error: { code?: string }) => error.code)
  await new Promise((resolve) => setTimeout(resolve, 200))

  const result = await app.mysql.reset()

  t.equal(result.before.active, 1, 'the stuck statement held the old pool')
  t.same((await app.mysql.query<RowDataPacket[]>('SELECT 1 AS one'))[0], [{ one: 1 }],
    'the new pool serves while the old statement waits')
  t.equal(await stuckOutcome, 'PROTOCOL_CONNECTION_LOST', 'at the deadline the wait is cut')
  t.equal(await db.settleAt(1), 1, 'its session was ended on the server too')
  t.same(app.mysql.status().draining, [])
})

test('queueLimit refuses callers beyond it with a typed error', async (t) => {
  const { app } = await buildApp(t, { connectionLimit: 1, queueLimit: 1 })
  const borrowed = await app.mysql.getConnection()
  const queued = app.mysql.query('SELECT 1')

  await t.rejects(app.mysql.query('SELECT 2'), { code: 'POOL_RESET_QUEUE_FULL', statusCode: 503 })

  borrowed.release()
  t.ok(await queued, 'the caller inside the limit is served')
})

test('a connection that opens after its caller gave up goes back to the pool', async (t) => {
  const proxy = await startTcpProxy(t)
  const { app } = await buildApp(t, { port: proxy.port, acquireTimeoutMs: 100 })
  proxy.stall()

  await t.rejects(app.mysql.query('SELECT 1'), { code: 'POOL_RESET_ACQUIRE_TIMEOUT' })
  proxy.resume()

  await waitFor(() => app.mysql.status().current.idle === 1)
  t.match(app.mysql.status().current, { total: 1, idle: 1, active: 0 })
})

test('fifty resets in a row, then ten at once, leave one live pool', async (t) => {
  const { app, db } = await buildApp(t, { connectionLimit: 3 })

  for (let round = 0; round < 50; round++) {
    await Promise.all([app.mysql.reset(), app.mysql.query('SELECT 1')])
  }
  const resets = Array.from({ length: 10 }, async () => await app.mysql.reset())
  const together = await Promise.all(resets)

  t.equal(new Set(together.map((result) => result.generation)).size, 1, 'ten at once are one reset')
  t.equal(app.mysql.status().generation, 52)
  await waitFor(() => app.mysql.status().draining.length === 0)
  t.ok(await db.settleAt(1) <= 3, 'no more sessions than one pool may hold')
})

test('retired connections fail typed on the callback API too', async (t) => {
  const { app } = await buildApp(t, { drainTimeoutMs: 100 })
  const borrowed = await app.mysql.getConnection()
  await app.mysql.reset()
  await waitFor(() => app.mysql.status().draining.length === 0)

  const failure = once(borrowed.connection, 'error')
  borrowed.connection.query('SELECT 1')

  t.match((await failure)[0], { code: 'POOL_RESET_CONNECTION_RETIRED' })
})

test('a drain deadline during a network stall stays bounded', async (t) => {
  const proxy = await startTcpProxy(t)
  const { app } = await buildApp(t, { port: proxy.port, drainTimeoutMs: 100, connectTimeout: 300 })
  const borrowed = await app.mysql.getConnection()
  await app.mysql.reset()
  proxy.stall()

  await waitFor(() => app.mysql.status().draining.length === 0)

  t.pass('the drain ended although its sessions could not be killed on the server')
  await t.rejects(borrowed.query('SELECT 1'), { code: 'POOL_RESET_CONNECTION_RETIRED' })
  borrowed.release()
  proxy.resume()
})


test('callers waiting on a connection still being opened move to the new pool', async (t) => {
  const proxy = await startTcpProxy(t)
  const { app } = await buildApp(t, {
    port: proxy.port, connectionLimit: 2, connectTimeout: 5000, acquireTimeoutMs: 8000,
    drainTimeoutMs: 1000
  })
  proxy.freezeNewConnections(true)
  const calls = [1, 2, 3].map(async (n) => await app.mysql.query<RowDataPacket[]>('SELECT ? AS n', [n]))
  const outcomes = calls.map(async (call) => await call.then(([rows]) => rows[0]?.n, (e: Error) => e.message))
  await waitFor(() => proxy.frozenCount() === 2)
  proxy.freezeNewConnections(false)

  await app.mysql.reset()

  t.same(await Promise.all(outcomes), [1, 2, 3], 'all three ran on the new pool')
})

test('a caller stuck behind a slow connect holds up nobody and times out', async (t) => {
  const proxy = await startTcpProxy(t)
  const { app } = await buildApp(t, {
    port: proxy.port, connectionLimit: 2, connectTimeout: 5000, acquireTimeoutMs: 1500,
    drainTimeoutMs: 500
  })
  proxy.freezeNewConnections(true)
  const stuck = app.mysql.query('SELECT 1').then(() => 'ran', (error: { code?: string }) => error.code)
  await waitFor(() => proxy.frozenCount() === 1)
  proxy.freezeNewConnections(false)

  let served = 0
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let round = 0; round < 700; round++) {
      await app.mysql.query('SELECT 1')
      served++
    }
  }))

  t.equal(served, 5600, 'the others ran on the connection that did open')
  t.equal(await stuck, 'POOL_RESET_ACQUIRE_TIMEOUT')
})
