import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import { buildApp, connectionIdOf } from './helpers/app.js'
import type { PluginUser } from './helpers/database.js'
import { waitFor } from './helpers/context.js'

test('concurrent resets share one reset', async (t) => {
  const { app } = await buildApp(t)

  const results = await Promise.all([app.mysql.reset(), app.mysql.reset(), app.mysql.reset()])

  t.same(results.map((result) => result.generation), [2, 2, 2])
  t.equal(results[0], results[1], 'every caller gets the same result')
  t.equal(app.mysql.status().generation, 2)
  t.equal((await app.mysql.reset()).generation, 3, 'the next reset after it is a new one')
})

test('a statement running when the reset starts returns its rows', async (t) => {
  const { app, db } = await buildApp(t)
  const sleeping = app.mysql.query<RowDataPacket[]>('SELECT SLEEP(1) AS slept, 5 AS five')
  await waitForThreads(db, 1)

  const result = await app.mysql.reset()

  t.equal(result.before.active, 1, 'the running statement held a connection of the old pool')
  const [rows] = await sleeping
  t.same(rows, [{ slept: 0, five: 5 }])
  t.equal(await db.settleAt(1), 1, 'the old connection closed once the statement finished')
})

test('a borrowed connection works across a reset until it is released', async (t) => {
  const { app, db } = await buildApp(t)
  await app.mysql.query('CREATE TABLE IF NOT EXISTS reset_tx (id INT PRIMARY KEY)')
  t.after(async () => { await db.admin.query('DROP TABLE IF EXISTS reset_tx') })
  const borrowed = await app.mysql.getConnection()
  await borrowed.beginTransaction()
  await borrowed.query('INSERT INTO reset_tx VALUES (1)')

  await app.mysql.reset()
  await app.mysql.reset()

  await borrowed.query('INSERT INTO reset_tx VALUES (2)')
  await borrowed.commit()
  const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT id FROM reset_tx ORDER BY id')
  t.same(rows, [{ id: 1 }, { id: 2 }], 'the transaction spanning two resets committed')
  t.equal(await db.settleAt(2), 2, 'the borrowed connection stays open while borrowed')
  t.equal(app.mysql.status().draining.length, 1, 'its pool is still draining')

  borrowed.release()
  t.equal(await db.settleAt(1), 1, 'released, it closes')
})

test('callers queued in the old pool are served by the new one', async (t) => {
  const { app } = await buildApp(t, { connectionLimit: 1 })
  const borrowed = await app.mysql.getConnection()
  const oldId = borrowed.connection.threadId
  const queued = connectionIdOf(app)
  await waitFor(() => app.mysql.status().current.queued === 1)

  await app.mysql.reset()

  t.not(await queued, oldId, 'the queued query ran while the old connection was still borrowed')
  borrowed.release()
})

test('a failed reset keeps the old pool and changes nothing', async (t) => {
  const { app, db } = await buildApp(t)
  const servingId = await connectionIdOf(app)
  await db.admin.query('ALTER USER ?@? ACCOUNT LOCK', [db.connection.user, '%'])
  t.after(async () => {
    await db.admin.query('ALTER USER ?@? ACCOUNT UNLOCK', [db.connection.user, '%'])
  })

  await t.rejects(app.mysql.reset(),
    { code: 'POOL_RESET_FAILED', statusCode: 503, message: /locked/i })

  const status = app.mysql.status()
  t.equal(status.generation, 1)
  t.match(status.lastReset, { outcome: 'failed', generation: 1 })
  t.notOk('reason' in (status.lastReset ?? {}), 'the reason is not in the public status')
  t.equal(await connectionIdOf(app), servingId, 'the old pool keeps serving on its connection')
  await db.admin.query('ALTER USER ?@? ACCOUNT UNLOCK', [db.connection.user, '%'])
  t.equal((await app.mysql.reset()).generation, 2, 'the next reset succeeds')
})

test('a connection still borrowed at the drain deadline is destroyed', async (t) => {
  const { app, db } = await buildApp(t, { drainTimeoutMs: 200 })
  const borrowed = await app.mysql.getConnection()

  await app.mysql.reset()

  t.equal(await db.settleAt(1), 1, 'the borrowed connection is gone after the deadline')
  await t.rejects(borrowed.query('SELECT 1'), { code: 'POOL_RESET_CONNECTION_RETIRED' },
    'its next use fails at once with a typed error')
  borrowed.release()
  t.same(app.mysql.status().draining, [])
})

async function waitForThreads (db: PluginUser, count: number): Promise<void> {
  await waitFor(async () => (await db.threadIds()).length >= count)
}
