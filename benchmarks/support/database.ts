import { randomBytes } from 'node:crypto'
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise'

/** The only server the benchmarks talk to. */
export const SERVER = { host: '127.0.0.1', port: 3306, database: 'test' } as const

/** Connection options for a session as root, for benchmarks that count nothing. */
export const ROOT_CONNECTION = { ...SERVER, user: 'root' } as const

/** Pool options that the plugin and the plain driver both get when they are compared. */
export const COMPARED_POOL_OPTIONS = {
  ...ROOT_CONNECTION,
  connectionLimit: 10,
  connectTimeout: 10_000
} as const

export interface DatabaseConnection {
  host: string
  port: number
  database: string
  user: string
  password: string
}

/**
 * A database user made for one benchmark run, so the sessions of the pool under test can be
 * counted on the server apart from everyone else's.
 */
export interface BenchUser {
  connection: DatabaseConnection
  /** Ids of the sessions the user has on the server right now. */
  sessionIds (): Promise<number[]>
  /** How many sessions the user has on the server right now. */
  countSessions (): Promise<number>
  /** All sessions on the server, of any user. */
  countAllSessions (): Promise<number>
  maxConnections (): Promise<number>
  /** Ends the user's sessions, drops the user and closes the admin session. */
  drop (): Promise<void>
}

export async function createBenchUser (): Promise<BenchUser> {
  const admin = await createConnection(ROOT_CONNECTION)
  const user = `bench_${randomBytes(6).toString('hex')}`
  const password = randomBytes(12).toString('hex')
  await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password])
  await admin.query('GRANT ALL ON test.* TO ?@?', [user, '%'])

  return {
    connection: { ...SERVER, user, password },
    sessionIds: async () => await sessionIdsOf(admin, user),
    countSessions: async () => (await sessionIdsOf(admin, user)).length,
    countAllSessions: async () => await scalar(admin,
      'SELECT COUNT(*) AS value FROM information_schema.PROCESSLIST'),
    maxConnections: async () => await scalar(admin, 'SELECT @@max_connections AS value'),
    drop: async () => {
      for (const id of await sessionIdsOf(admin, user)) {
        await admin.query('KILL ?', [id]).catch(() => {})
      }
      await admin.query('DROP USER ?@?', [user, '%'])
      await admin.end()
    }
  }
}

async function sessionIdsOf (admin: Connection, user: string): Promise<number[]> {
  const [rows] = await admin.query<RowDataPacket[]>(
    'SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?', [user])
  return rows.map((row) => Number(row.ID))
}

async function scalar (admin: Connection, sql: string): Promise<number> {
  const [rows] = await admin.query<RowDataPacket[]>(sql)
  return Number(rows[0]?.value)
}
