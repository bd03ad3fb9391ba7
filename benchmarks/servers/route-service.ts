import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { createPool, type RowDataPacket } from 'mysql2/promise'
import poolReset from '../../plugin/index.js'
import { COMPARED_POOL_OPTIONS } from '../support/database.js'

// A small service for the route benchmark: `GET /work` runs one query, through the plugin
// (argument `plugin`) or through a plain mysql2 pool (`plain`). It prints `{"port":N}` once it
// listens on 127.0.0.1, and closes on SIGTERM.

type Query = (sql: string) => Promise<[RowDataPacket[], unknown]>

async function withPlugin (app: FastifyInstance): Promise<Query> {
  // The benchmark never resets: a random token only makes POST answer 401 rather than 503.
  // The lockout is set out of reach so the denial measured is the token check itself.
  await app.register(poolReset, {
    ...COMPARED_POOL_OPTIONS,
    resetToken: randomBytes(24).toString('hex'),
    maxFailedAttempts: Number.MAX_SAFE_INTEGER
  })
  return async (sql) => await app.mysql.query<RowDataPacket[]>(sql)
}

async function withPlainPool (app: FastifyInstance): Promise<Query> {
  const pool = createPool({ ...COMPARED_POOL_OPTIONS })
  app.addHook('onClose', async () => { await pool.end() })
  return async (sql) => await pool.query<RowDataPacket[]>(sql)
}

const variants: Record<string, (app: FastifyInstance) => Promise<Query>> = {
  plugin: withPlugin,
  plain: withPlainPool
}

const variant = variants[process.argv[2] ?? '']
if (variant === undefined) {
  throw new Error(`usage: route-service.js ${Object.keys(variants).join('|')}`)
}

const app = Fastify()
const query = await variant(app)
app.get('/work', async () => {
  const [rows] = await query('SELECT 1 AS one')
  return rows
})

process.once('SIGTERM', () => {
  app.close().then(() => process.exit(0), () => process.exit(1))
})

await app.listen({ host: '127.0.0.1', port: 0 })
console.log(JSON.stringify({ port: (app.server.address() as AddressInfo).port }))
