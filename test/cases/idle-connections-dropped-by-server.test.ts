import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import poolReset from '../../plugin/index.js'
import { TOKEN } from '../helpers/app.js'
import { startPrivateServer } from '../helpers/private-server.js'

// Field case 2: the server ends sessions that idle past wait_timeout. The global is changed on a
// private server, so no other test sees it.
test('connections the server dropped while idle are not reused', async (t) => {
  const server = await startPrivateServer(t)
  const app = Fastify()
  t.after(async () => { await app.close() })
  await app.register(poolReset, { ...server.connection, resetToken: TOKEN })
  await app.mysql.query('SET GLOBAL wait_timeout = 2')
  await app.mysql.reset()
  await Promise.all([app.mysql.query('SELECT SLEEP(0.1)'), app.mysql.query('SELECT SLEEP(0.1)')])
  t.equal(app.mysql.status().current.idle, 2)

  await sleep(3000)

  t.match(app.mysql.status().current, { total: 0, idle: 0 }, 'no ghost is counted')
  const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT @@wait_timeout AS timeout')
  t.same(rows, [{ timeout: 2 }], 'the query after the idle period runs on a new session')
})

// The same fault when the process was too busy to notice the close: the statement is written to
// a dead socket, which proves it never reached the server, so it runs again once.
test('a statement sent on a connection that died unnoticed is retried once', async (t) => {
  const server = await startPrivateServer(t)
  const app = Fastify()
  t.after(async () => { await app.close() })
  await app.register(poolReset, { ...server.connection, resetToken: TOKEN, connectionLimit: 1 })
  const [[session]] = await app.mysql.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')
  await app.mysql.query('SET SESSION wait_timeout = 1')

  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500)
  const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')

  t.not(rows[0]?.id, session?.id, 'it ran on a fresh session')
  const [executed] = await app.mysql.execute<RowDataPacket[]>('SELECT 1 AS one')
  t.same(executed, [{ one: 1 }])
})
