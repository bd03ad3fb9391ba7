import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import poolReset from '../plugin/index.js'
import { TOKEN, postReset } from './helpers/app.js'
import { startPrivateServer } from './helpers/private-server.js'

test('across a server restart: reset fails while down, succeeds once it is back', async (t) => {
  const server = await startPrivateServer(t)
  const app = Fastify()
  t.after(async () => { await app.close() })
  await app.register(poolReset, {
    ...server.connection, resetToken: TOKEN, connectTimeout: 1000, acquireTimeoutMs: 2000
  })
  await Promise.all([app.mysql.query('SELECT 1'), app.mysql.query('SELECT 2')])

  await server.stop()

  t.match(app.mysql.status().current, { total: 0 }, 'the dead connections left the pool')
  await t.rejects(app.mysql.query('SELECT 1'), { code: 'ECONNREFUSED' })
  const whileDown = await postReset(app, { 'x-reset-token': TOKEN })
  t.equal(whileDown.statusCode, 503)
  t.match(whileDown.json(), { code: 'POOL_RESET_FAILED', message: /ECONNREFUSED/ })
  t.equal(app.mysql.status().generation, 1)

  await server.start()

  const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT 3 AS three')
  t.same(rows, [{ three: 3 }], 'the old pool reconnects by itself')
  t.equal((await postReset(app, { 'x-reset-token': TOKEN })).statusCode, 200)
  t.equal(app.mysql.status().generation, 2)
})
