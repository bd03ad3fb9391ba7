import { randomBytes } from 'node:crypto'
import Fastify from 'fastify'
import { createPool } from 'mysql2/promise'
import poolReset from '../plugin/index.js'
import type { DatabaseConnection } from './support/database.js'

/** A pool as the reset benchmark drives it, whatever the way it is replaced. */
export interface PoolUnderTest {
  query (sql: string): Promise<unknown>
  /** Replaces the pool; resolves true when the replacement succeeded. */
  reset (): Promise<boolean>
  close (): Promise<void>
}

export interface PoolSettings {
  connection: DatabaseConnection
  connectionLimit: number
}

const RESET_ROUTE = '/api/internal/reset-connection-pool'

/** The plugin in a Fastify service, reset through its POST route as an operator would. */
export async function openPluginPool (settings: PoolSettings): Promise<PoolUnderTest> {
  const token = randomBytes(24).toString('hex')
  const app = Fastify()
  await app.register(poolReset, {
    ...settings.connection,
    connectionLimit: settings.connectionLimit,
    resetToken: token,
    // Resets every few hundred ms are the point here, so the reset-storm guard is off.
    minResetIntervalMs: 0
  })
  await app.ready()

  return {
    query: async (sql) => await app.mysql.query(sql),
    reset: async () => {
      const answer = await app.inject({
        method: 'POST', url: RESET_ROUTE, headers: { 'x-reset-token': token }
      })
      return answer.statusCode === 200
    },
    close: async () => { await app.close() }
  }
}

/**
 * What a service without the plugin might do: end the pool, then create a new one in the
 * variable every caller reads.
 */
export async function openNaivePool (settings: PoolSettings): Promise<PoolUnderTest> {
  const options = { ...settings.connection, connectionLimit: settings.connectionLimit }
  let current = createPool(options)

  return {
    query: async (sql) => await current.query(sql),
    reset: async () => {
      await current.end()
      current = createPool(options)
      return true
    },
    close: async () => { await current.end() }
  }
}
