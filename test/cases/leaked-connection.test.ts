import { test } from 'tap'
import { buildApp } from '../helpers/app.js'

// Field case 5: with every connection leaked, callers must get an error at the acquire deadline,
// the status must still answer, and a reset must win the slot back.
test('a leaked connection: queries fail at the deadline, a reset reclaims the slot', async (t) => {
  const { app, db } = await buildApp(t, {
    connectionLimit: 1, acquireTimeoutMs: 300, drainTimeoutMs: 300
  })
  const leaked = await app.mysql.getConnection()
  const leakedThread = leaked.connection.threadId

  const waiting = app.mysql.query('SELECT 1')
  t.match(app.mysql.status().current, { active: 1, queued: 1 }, 'the status answers at once')
  await t.rejects(waiting, { code: 'POOL_RESET_ACQUIRE_TIMEOUT', statusCode: 503 })
  t.equal(app.mysql.status().current.queued, 0, 'the timed-out caller left the queue')

  await app.mysql.reset()

  t.same((await app.mysql.query('SELECT 1 AS one'))[0], [{ one: 1 }], 'the new pool serves')
  t.equal(await db.settleAt(1), 1)
  t.notOk((await db.threadIds()).includes(Number(leakedThread)), 'the leaked session is gone')
  await t.rejects(leaked.query('SELECT 1'), { code: 'POOL_RESET_CONNECTION_RETIRED' })
  leaked.release()
})
