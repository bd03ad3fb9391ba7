import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import { buildApp, connectionIdOf } from '../helpers/app.js'

// Field case 3: a statement killed while it runs may have done work, so it is never retried,
// and the connection it ran on is never handed out again.
test('a statement killed mid-run fails fast and its connection is not reused', async (t) => {
  const { app, db } = await buildApp(t)
  const sleeping = app.mysql.query('SELECT SLEEP(10)')
  const failure = sleeping.then(() => undefined, (error: unknown) => error)
  await new Promise((resolve) => setTimeout(resolve, 300))
  const [[victim]] = await db.admin.query<RowDataPacket[]>(
    "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO LIKE 'SELECT SLEEP%'",
    [db.connection.user])
  const victimId = Number(victim?.ID)

  await db.admin.query('KILL ?', [victimId])

  // MariaDB may answer with errno 1927 before closing, or just close the socket first.
  t.match(await failure, { code: /^(ER_CONNECTION_KILLED|PROTOCOL_CONNECTION_LOST)$/ })

  const ids = await Promise.all(Array.from({ length: 5 }, async () => await connectionIdOf(app)))
  t.notOk(ids.includes(victimId), 'the killed session is never used again')
  t.notOk((await db.threadIds()).includes(victimId))
  t.equal(app.mysql.status().current.active, 0)
})
