import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { PoolResetOptions } from '../../plugin/index.js'
import { buildApp } from './app.js'
import type { PluginUser } from './database.js'
import type { TestContext } from './context.js'

export const REDIS_URL = 'redis://127.0.0.1:6379'

/** A namespace of the test's own, so tests running side by side never see each other. */
export function uniqueNamespace (): string {
  return `pool-reset-test-${randomBytes(6).toString('hex')}`
}

/** Starts `count` instances of one service, all in the same fleet. */
export async function buildFleet (
  t: TestContext,
  count: number,
  options: PoolResetOptions = {}
): Promise<{ apps: FastifyInstance[], dbs: PluginUser[], namespace: string }> {
  const namespace = uniqueNamespace()
  const apps: FastifyInstance[] = []
  const dbs: PluginUser[] = []
  for (let index = 0; index < count; index++) {
    const { app, db } = await buildApp(t, {
      fleet: { redis: REDIS_URL, namespace, heartbeatIntervalMs: 200 },
      fleetTimeoutMs: 1000,
      instanceId: `instance-${index}`,
      ...options
    })
    apps.push(app)
    dbs.push(db)
  }
  return { apps, dbs, namespace }
}
