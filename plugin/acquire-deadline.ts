import type { Pool } from 'mysql2'
import { AcquireTimeoutError, QueueLimitError } from './errors.js'
import {
  hasIdleConnection, limitsOf, removeWaiter, type ConnectionCallback, type DriverConnectionHandle
} from './pool-state.js'

// mysql2's own message for a full queue; matched so the caller gets a coded error instead.
const QUEUE_LIMIT_MESSAGE = 'Queue limit reached.'

/**
 * Bounds how long a caller of `pool` waits for a connection: mysql2 pools otherwise wait forever.
 * Wraps the instance's `getConnection`, which `query` and `execute` use as well. A connection
 * that arrives after the deadline goes straight back to the pool.
 */
export function enforceAcquireDeadline (pool: Pool, timeoutMs: number): void {
  const acquire = pool.getConnection.bind(pool) as (callback: ConnectionCallback) => void

  const getConnection = (callback: ConnectionCallback): void => {
    // An idle connection is handed over on the next tick: no wait to bound.
    if (hasIdleConnection(pool)) {
      acquire(callback)
      return
    }

    let settled = false
    const waiter: ConnectionCallback = (error, connection) => {
      if (settled) {
        (connection as DriverConnectionHandle | undefined)?.release()
        return
      }
      settled = true
      clearTimeout(timer)
      callback(error?.message === QUEUE_LIMIT_MESSAGE
        ? new QueueLimitError(limitsOf(pool).queueLimit)
        : error, connection)
    }
    const timer = setTimeout(() => {
      settled = true
      removeWaiter(pool, waiter)
      callback(new AcquireTimeoutError(timeoutMs))
    }, timeoutMs)

    acquire(waiter)
  }

  Object.assign(pool, { getConnection })
}
