import type { Socket } from 'node:net'
import type { Pool } from 'mysql2'

/**
 * mysql2 keeps a pool's state in fields it does not expose through its types. Every read of
 * them lives in this file, so a driver upgrade that renames one breaks here and nowhere else.
 */
interface DriverQueue<T> {
  readonly length: number
  get (index: number): T
  toArray (): T[]
  shift (): T | undefined
  removeOne (index: number): void
}

export type ConnectionCallback = (err: Error | null, connection?: unknown) => void

interface DriverCommand {
  onResult?: (error: Error) => void
}

/** What a waiter receives: a pool connection it must release. */
export interface DriverConnectionHandle {
  release (): void
}

interface DriverPool {
  _allConnections: DriverQueue<DriverConnection>
  _freeConnections: DriverQueue<DriverConnection>
  _connectionQueue: DriverQueue<ConnectionCallback>
  _closed: boolean
  config: { connectionLimit: number, queueLimit: number }
  getConnection (callback: ConnectionCallback): void
}

/** A pooled connection as mysql2 holds it internally. */
export interface DriverConnection {
  readonly stream: Socket
  /** The server's id for the session, known once the handshake is done. */
  readonly threadId: number | null
  addCommand: (command: DriverCommand) => void
  _addCommandClosedState: (command: DriverCommand) => void
  emit (event: 'error', error: Error): boolean
  _removeFromPool (): void
  _realEnd (): void
}

/** How many connections a pool holds, read from the driver's own state. */
export interface ConnectionCounts {
  /** Connections the pool owns: idle, lent to callers, or still connecting. */
  total: number
  idle: number
  active: number
  /** Callers waiting for a connection. */
  queued: number
}

export interface PoolLimits {
  connectionLimit: number
  /** 0 means no limit, as in mysql2. */
  queueLimit: number
}

const internals = (pool: Pool): DriverPool => pool as unknown as DriverPool

export function countConnections (pool: Pool): ConnectionCounts {
  const { _allConnections, _freeConnections, _connectionQueue } = internals(pool)

  return {
    total: _allConnections.length,
    idle: _freeConnections.length,
    active: _allConnections.length - _freeConnections.length,
    queued: _connectionQueue.length
  }
}

export function limitsOf (pool: Pool): PoolLimits {
  const { connectionLimit, queueLimit } = internals(pool).config
  return { connectionLimit, queueLimit }
}

export function connectionsOf (pool: Pool): DriverConnection[] {
  return internals(pool)._allConnections.toArray()
}

export function idleConnectionsOf (pool: Pool): DriverConnection[] {
  return internals(pool)._freeConnections.toArray()
}

/** Takes one caller out of the pool's queue, if it is still there. */
export function removeWaiter (pool: Pool, waiter: ConnectionCallback): void {
  const queue = internals(pool)._connectionQueue
  for (let index = 0; index < queue.length; index++) {
    if (queue.get(index) === waiter) {
      queue.removeOne(index)
      return
    }
  }
}

export function hasIdleConnection (pool: Pool): boolean {
  return internals(pool)._freeConnections.length > 0
}

export function isSocketOpen (connection: DriverConnection): boolean {
  return !connection.stream.closed
}

/** Takes the connection out of its pool and sends QUIT after whatever it is running. */
export function closePolitely (connection: DriverConnection): void {
  connection._removeFromPool()
  connection._realEnd()
}

/** Takes the connection out of its pool and drops its socket at once. */
export function closeAbruptly (connection: DriverConnection): void {
  connection._removeFromPool()
  connection.stream.destroy()
}

/**
 * Takes the connection out of its pool and makes every command its holder sends from now on
 * fail with `laterUse()` instead of running, or failing with mysql2's generic message.
 */
export function refuseLaterUse (connection: DriverConnection, laterUse: () => Error): void {
  connection._removeFromPool()
  // mysql2 switches a closed connection to this method, so replacing it covers both paths.
  connection._addCommandClosedState = (command) => {
    const error = laterUse()
    if (command.onResult !== undefined) command.onResult(error)
    else connection.emit('error', error)
  }
  connection.addCommand = connection._addCommandClosedState
}
