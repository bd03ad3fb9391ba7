import type { Pool } from 'mysql2'
import { AcquireTimeoutError, QueueLimitError } from './errors.js'
import {
  hasIdleConnection, limitsOf, removeWaiter, type ConnectionCallback, type DriverConnectionHandle
} from './pool-state.js'

// mysql2's own message for a full queue; matched so the caller gets a coded error instead.
const QUEUE_LIMIT_MESSAGE = 'Queue limit reached.'

/** A caller waiting for a connection, wherever its request currently sits. */
interface Acquisition {
  callback: ConnectionCallback
  /** The function mysql2 holds for this caller right now; older ones are ignored. */
  current: ConnectionCallback | undefined
  timer: NodeJS.Timeout
  pool: Pool
}

const pendingByPool = new WeakMap<Pool, Set<Acquisition>>()
const ownCallbacks = new WeakSet<ConnectionCallback>()

/**
 * Bounds how long a caller of `pool` waits for a connection: mysql2 pools otherwise wait forever.
 * Wraps the instance's `getConnection`, which `query` and `execute` use as well. A connection
 * that arrives after the deadline, or for a caller that moved on, goes back to its pool.
 */
export function enforceAcquireDeadline (pool: Pool, timeoutMs: number): void {
  const acquire = pool.getConnection.bind(pool) as (callback: ConnectionCallback) => void
  pendingByPool.set(pool, new Set())

  const getConnection = (callback: ConnectionCallback): void => {
    // An idle connection is handed over on the next tick; mysql2 re-queueing one of our own
    // callbacks is already bounded.
    if (hasIdleConnection(pool) || ownCallbacks.has(callback)) {
      acquire(callback)
      return
    }

    const acquisition: Acquisition = {
      callback,
      current: undefined,
      pool,
      timer: setTimeout(() => {
        settle(acquisition)
        callback(new AcquireTimeoutError(timeoutMs))
      }, timeoutMs)
    }
    waitIn(pool, acquisition, acquire)
  }

  Object.assign(pool, { getConnection })
}

/**
 * Moves every caller still waiting on `from`, queued or waiting for a connection being opened,
 * to `to`. Each keeps its original deadline.
 */
export function moveAcquisitions (from: Pool, to: Pool): void {
  const acquire = to.getConnection.bind(to) as (callback: ConnectionCallback) => void
  for (const acquisition of pendingOf(from)) {
    leave(acquisition)
    waitIn(to, acquisition, acquire)
  }
}

/** Fails every caller still waiting on `pool` with `error`. */
export function failAcquisitions (pool: Pool, error: Error): void {
  for (const acquisition of pendingOf(pool)) {
    settle(acquisition)
    acquisition.callback(error)
  }
}

function waitIn (
  pool: Pool,
  acquisition: Acquisition,
  acquire: (callback: ConnectionCallback) => void
): void {
  const receive: ConnectionCallback = (error, connection) => {
    if (acquisition.current !== receive) {
      (connection as DriverConnectionHandle | undefined)?.release()
      return
    }
    settle(acquisition)
    acquisition.callback(error?.message === QUEUE_LIMIT_MESSAGE
      ? new QueueLimitError(limitsOf(pool).queueLimit)
      : error, connection)
  }
  ownCallbacks.add(receive)
  acquisition.current = receive
  acquisition.pool = pool
  pendingOf(pool).add(acquisition)
  acquire(receive)
}

/** Detaches the caller from its pool: whatever that pool hands over later goes back. */
function leave (acquisition: Acquisition): void {
  const { pool, current } = acquisition
  if (current !== undefined) removeWaiter(pool, current)
  pendingOf(pool).delete(acquisition)
  acquisition.current = undefined
}

function settle (acquisition: Acquisition): void {
  clearTimeout(acquisition.timer)
  leave(acquisition)
}

function pendingOf (pool: Pool): Set<Acquisition> {
  return pendingByPool.get(pool) as Set<Acquisition>
}
