// Checked by `tsc --noEmit` as part of npm test, never run: it proves what users' code sees.
import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import poolReset, {
  type FleetAnswer, type PoolResetOptions, type PoolStatus, type ResetResult
} from '../../plugin/index.js'

const app = Fastify()
await app.register(poolReset, {
  connectionString: 'mysql://app@127.0.0.1/test',
  resetToken: 'x'.repeat(32),
  trustedOrigins: ['https://ops.example.com'],
  timezone: 'Z',
  fleet: { redis: 'redis://127.0.0.1:6379' }
})

// @ts-expect-error connectionLimit is a number
const badLimit: PoolResetOptions = { connectionLimit: '10' }
// @ts-expect-error trustedOrigins is a list
const badOrigins: PoolResetOptions = { trustedOrigins: 'https://ops.example.com' }
// @ts-expect-error fleet needs a redis client or URL
const badFleet: PoolResetOptions = { fleet: {} }

const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT 1 AS one')
const one: unknown = rows[0]?.one
const result: ResetResult = await app.mysql.reset({ minIntervalMs: 1000 })
const status: PoolStatus = app.mysql.status()
const generation: number = status.generation + result.generation
const poolEnd: () => Promise<void> = app.mysql.pool.end
const fleetSize = (answer: FleetAnswer): number => answer.instances.length

export { badFleet, badLimit, badOrigins, fleetSize, generation, one, poolEnd }
