import type { Pool } from 'mysql2'
import { ConnectionRetiredError } from './errors.js'
import type { SessionIdentity } from './kill-sessions.js'
import { within } from './within.js'
import {
  closeAbruptly, closePolitely, connectionsOf, idleConnectionsOf, isSocketOpen, refuseLaterUse,
  type DriverConnection
} from './pool-state.js'

/** Called at the deadline with the sessions about to be destroyed, before their sockets go. */
export type BeforeDestroy = (sessions: SessionIdentity[]) => Promise<void>

type OpenConnections = () => DriverConnection[]

/**
 * Retires a pool that callers no longer reach: idle connections quit at once, borrowed ones quit
 * when their borrower releases them, and whatever is still open after `timeoutMs` is destroyed.
 * Resolves once every socket the pool had, or opened meanwhile, is closed and the pool is ended.
 */
export async function drainPool (
  pool: Pool,
  timeoutMs: number,
  beforeDestroy: BeforeDestroy
): Promise<void> {
  const openConnections = trackConnections(pool)
  const retire = (connection: DriverConnection): void => { closePolitely(connection) }
  pool.on('release', retire)

  idleConnectionsOf(pool).forEach(retire)
  await waitUntilClosed(openConnections, timeoutMs)
  pool.off('release', retire)

  // Ending first stops the pool from opening anything while the stragglers are dropped.
  const ended = endPool(pool)
  const stragglers = openConnections()
  const retiredError = (): Error => new ConnectionRetiredError()
  stragglers.forEach((connection) => { refuseLaterUse(connection, retiredError) })
  if (stragglers.length > 0) await beforeDestroy(identify(stragglers))
  openConnections().forEach(closeAbruptly)
  await waitUntilClosed(openConnections)
  await ended
}

function identify (connections: DriverConnection[]): SessionIdentity[] {
  // A connection still in its handshake has no session on the server yet.
  const inSession = connections.filter((connection) => connection.threadId !== null)
  return inSession.map(({ threadId, stream }) => ({
    threadId: threadId as number,
    localPort: Number(stream.localPort)
  }))
}

/** Ends a pool that never served callers, dropping its sockets without waiting for anything. */
export async function destroyPool (pool: Pool): Promise<void> {
  const openConnections = trackConnections(pool)

  const ended = endPool(pool)
  openConnections().forEach(closeAbruptly)
  await waitUntilClosed(openConnections)
  await ended
}

/**
 * Remembers every connection the pool has had since this call, including those it has already
 * let go of, and returns a function listing the ones whose socket is still open.
 */
function trackConnections (pool: Pool): OpenConnections {
  const seen = new Set<DriverConnection>()

  return () => {
    connectionsOf(pool).forEach((connection) => seen.add(connection))
    return [...seen].filter(isSocketOpen)
  }
}

/** Resolves true once no socket is open, or false when `timeoutMs` runs out first. */
async function waitUntilClosed (
  openConnections: OpenConnections,
  timeoutMs?: number
): Promise<boolean> {
  const allClosed = async (): Promise<boolean> => {
    // Callers may open new connections while we wait, so look again after every round.
    for (let open = openConnections(); open.length > 0; open = openConnections()) {
      await Promise.all(open.map(socketClosed))
    }
    return true
  }

  if (timeoutMs === undefined) return await allClosed()
  return await within(allClosed, timeoutMs, () => false)
}

async function socketClosed (connection: DriverConnection): Promise<void> {
  await new Promise((resolve) => connection.stream.once('close', resolve))
}

async function endPool (pool: Pool): Promise<void> {
  // Errors from QUIT on sockets that are already gone carry no news: they are closed either way.
  await new Promise<void>((resolve) => { pool.end(() => { resolve() }) })
}
