import type { FastifyBaseLogger } from 'fastify'
import { Redis } from 'ioredis'

/** The two Redis connections a fleet member needs: one to publish, one to subscribe. */
export interface FleetConnections {
  publisher: Redis
  subscriber: Redis
  /** Closes what the plugin opened; a client the service passed in stays open. */
  close (): void
}

/**
 * From a URL the plugin opens its own clients. A publisher that fails fast instead of queueing
 * commands while Redis is away keeps fleet requests from hanging; the subscriber reconnects and
 * resubscribes by itself.
 */
export function openFleetConnections (
  redis: Redis | string,
  log: Pick<FastifyBaseLogger, 'debug'>
): FleetConnections {
  const owned = typeof redis === 'string'
  const publisher = owned
    ? new Redis(redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    : redis
  const subscriber = publisher.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
  const ownedClients = owned ? [publisher, subscriber] : [subscriber]
  for (const client of ownedClients) {
    client.on('error', (err: Error) => { log.debug({ err }, 'fleet: redis connection error') })
  }

  return {
    publisher,
    subscriber,
    close: () => { ownedClients.forEach((client) => { client.disconnect() }) }
  }
}
