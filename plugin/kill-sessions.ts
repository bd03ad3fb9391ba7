import { createPool, type PoolOptions } from 'mysql2'

/**
 * Asks the server to end the given sessions of the plugin's user. A session whose client socket
 * was destroyed can linger on the server, waiting on a lock, until the server next touches it.
 * Resolves with how many the server ended; never rejects, since the sessions may be gone already.
 */
export async function killSessions (
  poolOptions: PoolOptions,
  threadIds: number[]
): Promise<number> {
  const pool = createPool({ ...poolOptions, connectionLimit: 1 }).promise()
  let killed = 0
  try {
    const connection = await pool.getConnection()
    for (const threadId of threadIds) {
      // KILL fails with "unknown thread" when the session already ended: nothing left to do.
      killed += await connection.query('KILL CONNECTION ?', [threadId]).then(() => 1, () => 0)
    }
    connection.release()
  } catch {
    // The server is unreachable: the sessions end when it notices their sockets are gone.
  } finally {
    await pool.end()
  }
  return killed
}
