import { createConnection } from 'mysql2/promise'
import { test } from 'tap'
import { killSessions } from '../plugin/kill-sessions.js'
import { createPluginUser } from './helpers/database.js'
import { startTcpProxy } from './helpers/tcp-proxy.js'

test('a session is killed only while the server shows it on our socket\'s port', async (t) => {
  const db = await createPluginUser(t)
  const session = await createConnection(db.connection)
  t.after(async () => { await session.end().catch(() => {}) })
  const threadId = session.threadId as number
  // The promise wrapper keeps mysql2's connection, and its socket, out of its types.
  const { stream } = (session as unknown as { connection: { stream: { localPort: number } } })
    .connection
  const localPort = stream.localPort

  const wrongPort = await killSessions(db.connection, [{ threadId, localPort: localPort + 1 }], 2000)

  t.equal(wrongPort, 0, 'the same id on another port may be someone else: left alone')
  t.ok((await db.threadIds()).includes(threadId))
  t.equal(await killSessions(db.connection, [{ threadId, localPort }], 2000), 1)
  t.equal(await db.settleAt(0), 0, 'the session is gone')
})

test('killing gives up at its deadline when the server does not answer', async (t) => {
  const db = await createPluginUser(t)
  const proxy = await startTcpProxy(t)
  proxy.stall()

  const unreachable = { ...db.connection, port: proxy.port }
  const killed = await killSessions(unreachable, [{ threadId: 1, localPort: 1 }], 200)

  t.equal(killed, 0)
})
