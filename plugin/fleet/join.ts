import type { FastifyBaseLogger } from 'fastify'
import type { FleetConfig } from '../config-fleet.js'
import type { ResettablePool } from '../resettable-pool.js'
import { openFleetConnections } from './connections.js'
import { Fleet, type FleetAction, type InstanceAnswer } from './fleet.js'

export interface FleetMembership {
  fleet: Fleet
  leave (): Promise<void>
}

export interface JoinSettings {
  pools: ResettablePool
  resetTokens: readonly string[]
  minResetIntervalMs: number
  log: Pick<FastifyBaseLogger, 'warn' | 'debug'>
}

/** Joins the fleet: this instance answers fleet commands and can broadcast them. */
export async function joinFleet (
  config: FleetConfig,
  settings: JoinSettings
): Promise<FleetMembership> {
  const connections = openFleetConnections(config.redis, settings.log)
  const fleet = new Fleet({
    ...connections,
    namespace: config.namespace,
    instanceId: config.instanceId,
    tokens: settings.resetTokens,
    timeoutMs: config.timeoutMs,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    answer: answerWith(settings.pools, settings.minResetIntervalMs),
    log: settings.log
  })
  await fleet.start(config.timeoutMs)

  return {
    fleet,
    leave: async () => {
      await fleet.close()
      connections.close()
    }
  }
}

/** Carries out a fleet command on this instance, under the same rules as a local request. */
function answerWith (pools: ResettablePool, minIntervalMs: number) {
  return async (action: FleetAction): Promise<Omit<InstanceAnswer, 'instanceId'>> => {
    const generationBefore = pools.generation
    const startedAt = Date.now()
    const finish = (fields: Pick<InstanceAnswer, 'outcome' | 'message' | 'status'>) => ({
      generationBefore,
      generationAfter: pools.generation,
      durationMs: Date.now() - startedAt,
      ...fields
    })

    if (action === 'status') return finish({ outcome: 'status', status: pools.status() })
    try {
      await pools.reset({ minIntervalMs })
      return finish({ outcome: 'reset' })
    } catch (error) {
      const { code, message } = error as { code?: string, message: string }
      const refused = code === 'POOL_RESET_TOO_SOON'
      return finish({ outcome: refused ? 'rate-limited' : 'failed', message })
    }
  }
}
