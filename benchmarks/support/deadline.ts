import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Resolves with `work`, or rejects with `message` once `timeoutMs` passes. The timer is cleared
 * either way, so it never keeps the process alive.
 */
export async function withDeadline<T> (
  work: Promise<T>,
  timeoutMs: number,
  message: string
): Promise<T> {
  const timer = new AbortController()
  const expired = sleep(timeoutMs, undefined, { signal: timer.signal }).then(() => {
    throw new Error(message)
  }, () => undefined as never)

  try {
    return await Promise.race([work, expired])
  } finally {
    timer.abort()
  }
}
