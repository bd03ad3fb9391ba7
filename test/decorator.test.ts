import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import poolReset, { fastifyMysqlPoolReset } from '../plugin/index.js'
import { buildApp, connectionIdOf } from './helpers/app.js'

test('decorates the instance with the promise API of @fastify/mysql', async (t) => {
  const { app } = await buildApp(t)

  const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT ? + 1 AS answer', [41])
  t.same(rows, [{ answer: 42 }])
  const [executed] = await app.mysql.execute<RowDataPacket[]>('SELECT ? AS echoed', ['x'])
  t.same(executed, [{ echoed: 'x' }])
  t.equal(app.mysql.format('SELECT ?', ['a']), "SELECT 'a'")
  t.equal(app.mysql.escape("it's"), "'it\\'s'")
  t.equal(app.mysql.escapeId('my table'), '`my table`')
  const [fromPool] = await app.mysql.pool.query<RowDataPacket[]>('SELECT 1 AS one')
  t.same(fromPool, [{ one: 1 }])
  t.equal(poolReset, fastifyMysqlPoolReset, 'default and named exports are the same plugin')
})

test('a reference taken before any reset keeps reaching the current pool', async (t) => {
  const { app, db } = await buildApp(t)
  const { query, getConnection } = app.mysql
  const firstPool = app.mysql.pool

  for (let round = 0; round < 3; round++) await app.mysql.reset()

  t.not(app.mysql.pool, firstPool, 'the pool getter returns the new pool')
  const [rows] = await query<RowDataPacket[]>('SELECT 7 AS seven')
  t.same(rows, [{ seven: 7 }])
  const connection = await getConnection()
  t.same((await connection.query<RowDataPacket[]>('SELECT 8 AS eight'))[0], [{ eight: 8 }])
  connection.release()
  t.equal(app.mysql.status().generation, 4)
  t.equal(await db.settleAt(1), 1, 'only the current pool holds a connection on the server')
})

test('each call goes to the pool current at the time of the call', async (t) => {
  const { app, db } = await buildApp(t)
  const before = await connectionIdOf(app)

  await app.mysql.reset()

  const after = await connectionIdOf(app)
  t.not(after, before, 'the next query runs on a connection of the new pool')
  t.equal(await db.settleAt(1), 1, 'the old connection was closed')
  t.same(await db.threadIds(), [after])
})

test('a second registration fails clearly', async (t) => {
  const app = Fastify()
  t.after(async () => { await app.close() })
  await app.register(poolReset, { resetToken: 'x'.repeat(32) })
  app.register(poolReset, { resetToken: 'x'.repeat(32) })

  await t.rejects(async () => await app.ready(), { code: 'FST_ERR_DEC_ALREADY_PRESENT' })
})
