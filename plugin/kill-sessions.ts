import { createPool, type PoolOptions, type RowDataPacket } from 'mysql2'
import { destroyPool } from './drain.js'
import { within } from './within.js'

/** A server session of ours, and the local port of its socket, which proves it is ours. */
export interface SessionIdentity {
  threadId: number
  localPort: number
}

/**
 * Asks the server to end the given sessions, so a statement cut off at a drain deadline stops
 * on the server too instead of running on, or waiting on a lock, unseen. A thread id alone is
 * not proof: after a restart or failover the same id can name someone else's session. So a
 * session is killed only while the server reports it connected from our socket's port; behind
 * a proxy that check fails and nothing is killed. Gives up after `timeoutMs`, never rejects,
 * and resolves with how many sessions the server ended.
 */
export async function killSessions (
  poolOptions: PoolOptions,
  sessions: readonly SessionIdentity[],
  timeoutMs: number
): Promise<number> {
  const pool = createPool({ ...poolOptions, connectionLimit: 1 })
  let killed = 0
  const killAll = async (): Promise<void> => {
    const connection = await pool.promise().getConnection()
    for (const { threadId, localPort } of sessions) {
      const [rows] = await connection.query<RowDataPacket[]>(
        'SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = ?', [threadId])
      if (String(rows[0]?.HOST).endsWith(`:${localPort}`)) {
        await connection.query('KILL CONNECTION ?', [threadId])
        killed++
      }
    }
  }

  // An unreachable or stalled server must not hold up the drain: it ends the sessions itself
  // once it notices their sockets are gone.
  await within(async () => { await killAll().catch(() => {}) }, timeoutMs, () => {})
  await destroyPool(pool)
  return killed
}
