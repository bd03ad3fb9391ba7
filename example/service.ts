import { existsSync } from 'node:fs'
import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import poolReset, { resetTokenRedactPaths } from '../plugin/index.js'

// The example reads .env when there is one; the plugin itself only reads process.env.
if (existsSync('.env')) process.loadEnvFile('.env')

const app = Fastify({
  logger: { redact: resetTokenRedactPaths }
})
await app.register(poolReset, { instanceId: process.env.INSTANCE_ID })

app.get('/api/now', async () => {
  const [rows] = await app.mysql.query<RowDataPacket[]>(
    'SELECT NOW(3) AS now, CONNECTION_ID() AS connectionId'
  )
  return rows[0]
})

// Close on Ctrl-C and on the orchestrator's SIGTERM, so the pool drains before exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void app.close() })
}

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) })
