import type { MySQLPromisePool } from '@fastify/mysql'
import type { Pool as PromisePool } from 'mysql2/promise'
import { neverReachedServer } from './never-sent.js'
import type { PoolStatus, ResetResult, ResettablePool } from './resettable-pool.js'

/**
 * `fastify.mysql`: the promise API of @fastify/mysql, plus `reset()` and `status()`. Every
 * call goes to the pool that is current at the time of the call, so a reference kept across
 * resets keeps working.
 */
export interface ResettableMySQL extends MySQLPromisePool {
  /** The current mysql2 pool. Read it per use: after a reset it is another object. */
  readonly pool: PromisePool
  /**
   * Replaces the pool; concurrent calls share one reset. With `minIntervalMs`, refuses with
   * `POOL_RESET_TOO_SOON` when the last successful reset is more recent than that.
   */
  reset (options?: { minIntervalMs?: number }): Promise<ResetResult>
  status (): PoolStatus
}

type AsyncMethod = 'query' | 'execute' | 'getConnection'
type SyncMethod = 'format' | 'escape' | 'escapeId'
type AnyMethod = (...args: unknown[]) => unknown

export function createFacade (pools: ResettablePool): ResettableMySQL {
  return Object.freeze({
    get pool () { return pools.current },
    query: forwardStatement(pools, 'query'),
    execute: forwardStatement(pools, 'execute'),
    getConnection: forwardAsync(pools, 'getConnection'),
    format: forwardSync(pools, 'format'),
    escape: forwardSync(pools, 'escape'),
    escapeId: forwardSync(pools, 'escapeId'),
    reset: async (options?: { minIntervalMs?: number }) => await pools.reset(options),
    status: () => pools.status()
  })
}

/** A method that looks up the current pool on every call, and always returns a promise. */
function forwardAsync<M extends AsyncMethod> (pools: ResettablePool, name: M): PromisePool[M] {
  const forwarded = async (...args: unknown[]): Promise<unknown> => {
    const pool = pools.current
    return await (pool[name] as AnyMethod).apply(pool, args)
  }
  return forwarded as PromisePool[M]
}

/**
 * Like `forwardAsync`, and runs the statement once more, on the pool's next connection, when the
 * first attempt provably never reached the server: its connection had died while idle.
 */
function forwardStatement<M extends 'query' | 'execute'> (
  pools: ResettablePool,
  name: M
): PromisePool[M] {
  // One async layer on the hot path: the retry needs no wrapper of its own.
  const forwarded = async (...args: unknown[]): Promise<unknown> => {
    try {
      const pool = pools.current
      return await (pool[name] as AnyMethod).apply(pool, args)
    } catch (error) {
      if (!neverReachedServer(error)) throw error
      const pool = pools.current
      return await (pool[name] as AnyMethod).apply(pool, args)
    }
  }
  return forwarded as PromisePool[M]
}

function forwardSync<M extends SyncMethod> (pools: ResettablePool, name: M): PromisePool[M] {
  const forwarded = (...args: unknown[]): unknown => {
    const pool = pools.latest
    return (pool[name] as AnyMethod).apply(pool, args)
  }
  return forwarded as PromisePool[M]
}
