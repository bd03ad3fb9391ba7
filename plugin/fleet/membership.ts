import type { Redis } from 'ioredis'

export interface Heartbeat {
  /** Resolves once the key has been written for the first time. */
  firstBeat: Promise<void>
  /** Stops the heartbeat and removes the key. */
  stop (): Promise<void>
}

/**
 * Keeps `key` alive in Redis while the instance runs: written at once, on every reconnection
 * and every `intervalMs`, expiring after `ttlMs` without renewal, so a dead instance drops out
 * of the fleet by itself.
 */
export function startHeartbeat (
  redis: Redis,
  key: string,
  intervalMs: number,
  ttlMs: number,
  onError: (error: Error) => void
): Heartbeat {
  let markBeaten!: () => void
  const firstBeat = new Promise<void>((resolve) => { markBeaten = resolve })
  const beat = (): void => {
    redis.set(key, String(Date.now()), 'PX', ttlMs).then(markBeaten, onError)
  }
  beat()
  redis.on('ready', beat)
  const timer = setInterval(beat, intervalMs)
  timer.unref()

  return {
    firstBeat,
    stop: async () => {
      clearInterval(timer)
      redis.off('ready', beat)
      await redis.del(key).catch(onError)
    }
  }
}

/** Ids of the instances whose heartbeat key under `prefix` has not expired. */
export async function listMembers (redis: Redis, prefix: string): Promise<string[]> {
  const members: string[] = []
  for await (const keys of redis.scanStream({ match: `${escapeGlob(prefix)}*`, count: 500 })) {
    members.push(...(keys as string[]).map((key) => key.slice(prefix.length)))
  }
  return [...new Set(members)].sort()
}

function escapeGlob (value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&')
}
