import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import { buildApp, connectionIdOf } from '../helpers/app.js'

// Field case 4: a reset must not cut off statements that are running or waiting for a slot.
test('running and queued statements all finish across a reset', async (t) => {
  const { app, db } = await buildApp(t, { connectionLimit: 2 })
  const borrowedBefore = await app.mysql.getConnection()
  const sleeps = Array.from({ length: 3 }, async (_, index) =>
    await app.mysql.query<RowDataPacket[]>('SELECT SLEEP(1) AS slept, ? AS n', [index]))
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.match(app.mysql.status().current, { total: 2, active: 2, queued: 2 })

  await app.mysql.reset()

  const usedBorrowed = await borrowedBefore.query<RowDataPacket[]>('SELECT 1 AS still')
  t.same(usedBorrowed[0], [{ still: 1 }], 'the connection borrowed before the reset still works')
  const results = await Promise.all(sleeps)
  t.same(results.map(([rows]) => rows[0]?.n), [0, 1, 2], 'every statement returned its rows')
  const newPoolIds = new Set((await db.threadIds()))
  borrowedBefore.release()
  const afterId = await connectionIdOf(app)
  t.ok(newPoolIds.has(afterId), 'the decorator now runs on a connection of the new pool')
  t.equal(app.mysql.status().generation, 2)
})
