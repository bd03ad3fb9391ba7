import { createPool, type Pool, type PoolOptions } from 'mysql2'
import type { Pool as PromisePool } from 'mysql2/promise'
import type { FastifyBaseLogger } from 'fastify'
import { AcquireDeadlines } from './acquire-deadline.js'
import { destroyPool, drainPool } from './drain.js'
import { killSessions, type SessionIdentity } from './kill-sessions.js'
import { within } from './within.js'
import { PoolClosedError, ResetFailedError, ResetTooSoonError } from './errors.js'
import {
  countConnections, limitsOf, type ConnectionCounts, type PoolLimits
} from './pool-state.js'

/** One pool the plugin created, numbered from 1 in creation order. */
interface Generation {
  generation: number
  createdAt: Date
  pool: PromisePool
}

interface Draining extends Generation {
  drainingSince: Date
}

/** What a successful reset did. */
export interface ResetResult {
  previousGeneration: number
  generation: number
  /** Counts of the pool that was replaced, at the moment of the swap. */
  before: ConnectionCounts
  /** Counts of the new pool right after it proved itself. */
  after: ConnectionCounts
  durationMs: number
  at: string
}

export interface LastReset {
  at: string
  durationMs: number
  outcome: 'succeeded' | 'failed'
  generation: number
}

export interface DrainingStatus extends ConnectionCounts {
  generation: number
  drainingSince: string
}

/** The state of the resettable pool, as GET reports it. */
export interface PoolStatus {
  generation: number
  createdAt: string
  lastReset: LastReset | null
  limits: PoolLimits & Pick<
    ResettablePoolSettings, 'drainTimeoutMs' | 'connectTimeoutMs' | 'acquireTimeoutMs'
  >
  current: ConnectionCounts
  draining: DrainingStatus[]
}

export interface ResettablePoolSettings {
  poolOptions: PoolOptions
  connectTimeoutMs: number
  drainTimeoutMs: number
  acquireTimeoutMs: number
  /** Told of what the pool handles by itself, such as a connection the server dropped. */
  log: Pick<FastifyBaseLogger, 'warn'>
}

/**
 * Owns the current mysql2 pool and replaces it on demand: a new pool must answer a ping before
 * it takes over, and the old one drains in the background within `drainTimeoutMs`.
 */
export class ResettablePool {
  readonly #settings: ResettablePoolSettings
  readonly #acquireDeadlines: AcquireDeadlines
  #current: Generation
  readonly #draining = new Map<Draining, Promise<unknown>>()
  #resetInFlight: Promise<ResetResult> | undefined
  #lastReset: LastReset | null = null
  #lastSuccess: { result: ResetResult, finishedAt: number } | undefined
  #closing: Promise<void> | undefined

  constructor (settings: ResettablePoolSettings) {
    this.#settings = settings
    this.#acquireDeadlines = new AcquireDeadlines(settings.acquireTimeoutMs)
    this.#current = { generation: 1, createdAt: new Date(), pool: this.#createPool() }
  }

  /** The pool every call should use right now. */
  get current (): PromisePool {
    if (this.#closing !== undefined) throw new PoolClosedError()
    return this.#current.pool
  }

  /** The newest pool, also after `close()`: for work that never touches a connection. */
  get latest (): PromisePool {
    return this.#current.pool
  }

  get generation (): number {
    return this.#current.generation
  }

  /**
   * Replaces the pool. Calls made while a reset runs share its result. With `minIntervalMs`, a
   * reset that would start sooner than that after the last successful one is refused.
   */
  async reset ({ minIntervalMs = 0 } = {}): Promise<ResetResult> {
    if (this.#closing !== undefined) throw new PoolClosedError()
    if (this.#resetInFlight === undefined) this.#refuseIfTooSoon(minIntervalMs)

    this.#resetInFlight ??= this.#replacePool().finally(() => { this.#resetInFlight = undefined })
    return await this.#resetInFlight
  }

  status (): PoolStatus {
    const { generation, createdAt, pool } = this.#current

    return {
      generation,
      createdAt: createdAt.toISOString(),
      lastReset: this.#lastReset,
      limits: {
        ...limitsOf(pool.pool),
        drainTimeoutMs: this.#settings.drainTimeoutMs,
        connectTimeoutMs: this.#settings.connectTimeoutMs,
        acquireTimeoutMs: this.#settings.acquireTimeoutMs
      },
      current: countConnections(pool.pool),
      draining: [...this.#draining.keys()].map((old) => ({
        generation: old.generation,
        drainingSince: old.drainingSince.toISOString(),
        ...countConnections(old.pool.pool)
      }))
    }
  }

  /** Ends the current pool and every draining one; resolves when all their sockets are closed. */
  async close (): Promise<void> {
    this.#closing ??= this.#closeAll()
    await this.#closing
  }

  #refuseIfTooSoon (minIntervalMs: number): void {
    if (this.#lastSuccess === undefined) return

    const waitMs = this.#lastSuccess.finishedAt + minIntervalMs - Date.now()
    if (waitMs <= 0) return

    const retryAfterSeconds = Math.ceil(waitMs / 1000)
    throw Object.assign(new ResetTooSoonError(minIntervalMs, retryAfterSeconds), {
      retryAfterSeconds,
      lastReset: this.#lastSuccess.result
    })
  }

  async #replacePool (): Promise<ResetResult> {
    const startedAt = Date.now()
    const candidate = this.#createPool()

    try {
      await this.#prove(candidate)
    } catch (error) {
      await destroyPool(candidate.pool)
      const reason = (error as Error).message
      this.#recordReset(startedAt, 'failed')
      throw new ResetFailedError(reason)
    }

    if (this.#closing !== undefined) {
      await destroyPool(candidate.pool)
      throw new PoolClosedError()
    }

    const previous = this.#current
    const before = countConnections(previous.pool.pool)
    this.#current = { generation: previous.generation + 1, createdAt: new Date(), pool: candidate }
    this.#acquireDeadlines.move(previous.pool.pool, candidate.pool)
    this.#retire(previous)
    this.#recordReset(startedAt, 'succeeded')

    const result = {
      previousGeneration: previous.generation,
      generation: this.#current.generation,
      before,
      after: countConnections(candidate.pool),
      durationMs: Date.now() - startedAt,
      at: new Date(startedAt).toISOString()
    }
    this.#lastSuccess = { result, finishedAt: Date.now() }
    return result
  }

  /** Resolves once the pool has answered a ping, or rejects within `connectTimeoutMs`. */
  async #prove (pool: PromisePool): Promise<void> {
    const timeoutMs = this.#settings.connectTimeoutMs
    const ping = async (): Promise<void> => {
      const connection = await pool.getConnection()
      try {
        await connection.ping()
      } finally {
        connection.release()
      }
    }

    await within(ping, timeoutMs, () => {
      throw new Error(`the new pool did not answer a ping within ${timeoutMs} ms`)
    })
  }

  #retire (old: Generation): void {
    const draining: Draining = { ...old, drainingSince: new Date() }
    const endSessions = async (sessions: SessionIdentity[]): Promise<void> => {
      const { poolOptions, connectTimeoutMs, log } = this.#settings
      const killed = await killSessions(poolOptions, sessions, connectTimeoutMs)
      log.warn({ generation: old.generation, stillBorrowed: sessions.length, killed },
        'drain deadline reached: ending the sessions still borrowed')
    }
    const drained = drainPool(old.pool.pool, this.#settings.drainTimeoutMs, endSessions)
      .finally(() => this.#draining.delete(draining))
    this.#draining.set(draining, drained)
  }

  // The failure's reason goes only to the caller of reset(): it can name hosts and users, and
  // the status is readable without the token.
  #recordReset (startedAt: number, outcome: LastReset['outcome']): void {
    this.#lastReset = {
      at: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      outcome,
      generation: this.#current.generation
    }
  }

  async #closeAll (): Promise<void> {
    await this.#resetInFlight?.catch(() => {})

    this.#acquireDeadlines.failAll(this.#current.pool.pool, new PoolClosedError())
    this.#retire(this.#current)
    await Promise.all(this.#draining.values())
  }

  #createPool (): PromisePool {
    // mysql2 writes parsed URL parts into the options it is given, so every pool gets a copy.
    const pool: Pool = createPool({ ...this.#settings.poolOptions })
    this.#acquireDeadlines.enforceOn(pool)
    pool.on('connection', (connection) => {
      // A dropped connection can report more than one error; mysql2 listens for the first only.
      connection.on('error', (err) => {
        this.#settings.log.warn({ err }, 'a database connection failed and left the pool')
      })
    })
    return pool.promise()
  }
}
