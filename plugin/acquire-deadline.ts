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
  pool: Pool
  deadlineAt: number
  done: boolean
}

type Acquire = (callback: ConnectionCallback) => void

const COMPACT_AFTER = 4096

// Marks the callbacks we hand to mysql2. A property, not a WeakSet: one weak entry per query
// made the garbage collector a measurable share of the query path.
const OURS = Symbol('pool-reset acquisition')
type OwnCallback = ConnectionCallback & { [OURS]?: true }

/**
 * Bounds how long a caller waits for a connection, across every pool of one resettable pool:
 * mysql2 pools otherwise wait forever. All callers share one timeout, so deadlines come in the
 * order callers arrive, and one timer, armed for the oldest waiter, serves them all: the hot
 * path stays free of a timer per query.
 */
export class AcquireDeadlines {
  readonly #timeoutMs: number
  /** In arrival order, so in deadline order; settled ones are dropped from the front lazily. */
  #pending: Acquisition[] = []
  #compactAt = COMPACT_AFTER
  #timer: NodeJS.Timeout | undefined

  constructor (timeoutMs: number) {
    this.#timeoutMs = timeoutMs
  }

  /**
   * Wraps `pool`'s `getConnection`, which `query` and `execute` use as well. A connection that
   * arrives after the deadline, or for a caller that moved on, goes back to its pool.
   */
  enforceOn (pool: Pool): void {
    const acquire = pool.getConnection.bind(pool) as Acquire

    const getConnection = (callback: ConnectionCallback): void => {
      // An idle connection is handed over on the next tick; mysql2 re-queueing one of our own
      // callbacks is already bounded.
      if (hasIdleConnection(pool) || (callback as OwnCallback)[OURS] === true) {
        acquire(callback)
        return
      }

      const acquisition: Acquisition = {
        callback, current: undefined, pool, deadlineAt: Date.now() + this.#timeoutMs, done: false
      }
      this.#pending.push(acquisition)
      this.#armTimer()
      this.#waitIn(pool, acquisition, acquire)
    }

    Object.assign(pool, { getConnection })
  }

  /**
   * Moves every caller still waiting on `from`, queued or waiting for a connection being
   * opened, to `to`. Each keeps its deadline.
   */
  move (from: Pool, to: Pool): void {
    const acquire = to.getConnection.bind(to) as Acquire
    for (const acquisition of this.#pendingOn(from)) {
      this.#detach(acquisition)
      this.#waitIn(to, acquisition, acquire)
    }
  }

  /** Fails every caller still waiting on `pool` with `error`. */
  failAll (pool: Pool, error: Error): void {
    for (const acquisition of this.#pendingOn(pool)) {
      this.#detach(acquisition)
      acquisition.done = true
      acquisition.callback(error)
    }
  }

  #waitIn (pool: Pool, acquisition: Acquisition, acquire: Acquire): void {
    const receive: OwnCallback = (error, connection) => {
      if (acquisition.current !== receive) {
        (connection as DriverConnectionHandle | undefined)?.release()
        return
      }
      // mysql2 took `receive` off its queue before calling it: nothing to remove there.
      acquisition.current = undefined
      acquisition.done = true
      acquisition.callback(error?.message === QUEUE_LIMIT_MESSAGE
        ? new QueueLimitError(limitsOf(pool).queueLimit)
        : error, connection)
    }
    receive[OURS] = true
    acquisition.current = receive
    acquisition.pool = pool
    acquire(receive)
  }

  /** Takes the caller off its pool: whatever that pool hands over later goes back. */
  #detach (acquisition: Acquisition): void {
    removeWaiter(acquisition.pool, acquisition.current as ConnectionCallback)
    acquisition.current = undefined
  }

  #pendingOn (pool: Pool): Acquisition[] {
    return this.#pending.filter((acquisition) => !acquisition.done && acquisition.pool === pool)
  }

  #dropSettled (): void {
    while (this.#pending[0]?.done === true) this.#pending.shift()
    // A caller stuck behind a slow connect keeps the settled ones after it; compact now and
    // then so they cannot pile up.
    if (this.#pending.length > this.#compactAt) {
      this.#pending = this.#pending.filter((acquisition) => !acquisition.done)
      this.#compactAt = Math.max(COMPACT_AFTER, this.#pending.length * 2)
    }
  }

  #armTimer (): void {
    this.#dropSettled()
    const oldest = this.#pending[0]
    if (this.#timer !== undefined || oldest === undefined) return

    const delayMs = Math.max(0, oldest.deadlineAt - Date.now())
    this.#timer = setTimeout(() => { this.#expire() }, delayMs)
    // A waiter's socket or query keeps the process alive; a stale deadline must not.
    this.#timer.unref()
  }

  #expire (): void {
    this.#timer = undefined
    const now = Date.now()
    this.#dropSettled()
    for (let oldest = this.#pending[0]; oldest !== undefined && oldest.deadlineAt <= now;
      oldest = this.#pending[0]) {
      this.#detach(oldest)
      oldest.done = true
      oldest.callback(new AcquireTimeoutError(this.#timeoutMs))
      this.#dropSettled()
    }
    this.#armTimer()
  }
}
