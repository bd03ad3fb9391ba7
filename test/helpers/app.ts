import Fastify, {
  type FastifyInstance, type FastifyLoggerOptions, type FastifyServerOptions,
  type LightMyRequestResponse
} from 'fastify'
import type { RowDataPacket } from 'mysql2'
import poolReset, { type PoolResetOptions } from '../../plugin/index.js'
import { createPluginUser, type PluginUser } from './database.js'
import type { TestContext } from './context.js'

export const TOKEN = 'test-reset-token-0123456789abcdef-0123456789'
export const ROUTE = '/api/internal/reset-connection-pool'

export interface TestApp {
  app: FastifyInstance
  db: PluginUser
}

/**
 * A ready Fastify instance with the plugin connected as a user of its own, closed after the
 * test. `options` are added to the defaults.
 */
export async function buildApp (
  t: TestContext,
  options: PoolResetOptions = {},
  serverOptions: FastifyServerOptions = {}
): Promise<TestApp> {
  const db = await createPluginUser(t)
  const app = Fastify(serverOptions)
  t.after(async () => { await app.close() })

  // Tests reset back to back; the reset cooldown has tests of its own.
  await app.register(poolReset, {
    ...db.connection, resetToken: TOKEN, minResetIntervalMs: 0, ...options
  })
  await app.ready()
  return { app, db }
}

/** The connection id a query through the decorator ran on. */
export async function connectionIdOf (app: FastifyInstance): Promise<number> {
  const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')
  return Number(rows[0]?.id)
}

/** POSTs to the reset route through `inject`. */
export async function postReset (
  app: FastifyInstance,
  headers: Record<string, string | string[]> = {}
): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'POST', url: ROUTE, headers })
}

/** Logger options that keep every line written, for tests that read the log. */
export function captureLogs (level: string): { lines: string[], logger: FastifyLoggerOptions } {
  const lines: string[] = []
  return { lines, logger: { level, stream: { write: (line: string) => lines.push(line) } } }
}
