import type { FastifyInstance, RegisterOptions as FastifyRegisterOptions } from 'fastify'
import fp from 'fastify-plugin'
import { DEFAULT_DATABASE_URL, resolveConfig } from './config.js'
import { createFacade, type ResettableMySQL } from './facade.js'
import type { PoolResetOptions } from './options.js'
import { ResettablePool } from './resettable-pool.js'
import { joinFleet } from './fleet/join.js'
import { operatorRoutes } from './routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The resettable pool: @fastify/mysql's promise API plus `reset()` and `status()`. */
    mysql: ResettableMySQL
  }
}

async function poolReset (
  fastify: FastifyInstance,
  options: PoolResetOptions & FastifyRegisterOptions
): Promise<void> {
  const config = resolveConfig(options, process.env)
  if (config.usesDefaultDatabase) {
    fastify.log.info(`DATABASE_URL is not set; using ${DEFAULT_DATABASE_URL}`)
  }

  const pools = new ResettablePool({
    poolOptions: config.poolOptions,
    connectTimeoutMs: config.connectTimeoutMs,
    drainTimeoutMs: config.drainTimeoutMs,
    acquireTimeoutMs: config.acquireTimeoutMs,
    log: fastify.log
  })
  fastify.decorate('mysql', createFacade(pools))
  const membership = config.fleet === undefined
    ? undefined
    : await joinFleet(config.fleet, {
      pools,
      resetTokens: config.resetTokens,
      minResetIntervalMs: config.minResetIntervalMs,
      log: fastify.log
    })
  fastify.addHook('onClose', async () => {
    await membership?.leave()
    await pools.close()
  })

  // fastify-plugin skips encapsulation and with it the register prefix; the routes honour it.
  await fastify.register(operatorRoutes, {
    config, pools, fleet: membership?.fleet, prefix: options.prefix
  })
}

/** Registers `fastify.mysql` and the operator routes that reset the pool and report on it. */
export const fastifyMysqlPoolReset = fp(poolReset, {
  fastify: '5.x',
  name: 'fastify-mysql-pool-reset'
})

export default fastifyMysqlPoolReset
export * from './errors.js'
export { resetTokenRedactPaths } from './redaction.js'
export type { ResettableMySQL } from './facade.js'
export type { FleetOptions, PoolResetOptions } from './options.js'
export type { LastReset, PoolStatus, ResetResult } from './resettable-pool.js'
export type { ConnectionCounts } from './pool-state.js'
export type { FleetAnswer, InstanceAnswer } from './fleet/fleet.js'
