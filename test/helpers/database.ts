import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise'
import type { TestContext } from './context.js'

/** The server the suite runs against; the admin session uses root, the plugin never does. */
export const SERVER = { host: '127.0.0.1', port: 3306, database: 'test' }

/** A database user of the plugin's own, so its sessions can be told apart on the server. */
export interface PluginUser {
  /** Connection options for the plugin: server, database and this user's credentials. */
  connection: { host: string, port: number, database: string, user: string, password: string }
  /** A root session for KILL, SET GLOBAL, LOCK TABLES and for counting. */
  admin: Connection
  /** Ids of the user's sessions on the server right now. */
  threadIds (): Promise<number[]>
  /**
   * Polls until the user has `expected` sessions or `withinMs` passes, and returns the last
   * count. The server notices a closed socket a moment after the client closes it.
   */
  settleAt (expected: number, withinMs?: number): Promise<number>
}

export async function createPluginUser (t: TestContext): Promise<PluginUser> {
  const admin = await createConnection({ ...SERVER, user: 'root' })
  const user = `pool_${randomBytes(6).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password])
  await admin.query('GRANT ALL ON test.* TO ?@?', [user, '%'])

  const threadIds = async (): Promise<number[]> => {
    const [rows] = await admin.query<RowDataPacket[]>(
      'SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?', [user])
    return rows.map((row) => Number(row.ID))
  }

  t.after(async () => {
    for (const id of await threadIds()) await admin.query('KILL ?', [id]).catch(() => {})
    await admin.query('DROP USER ?@?', [user, '%'])
    await admin.end()
  })

  return {
    connection: { ...SERVER, user, password },
    admin,
    threadIds,
    settleAt: async (expected, withinMs = 3000) => {
      const deadline = Date.now() + withinMs
      let count = (await threadIds()).length
      while (count !== expected && Date.now() < deadline) {
        await sleep(20)
        count = (await threadIds()).length
      }
      return count
    }
  }
}
