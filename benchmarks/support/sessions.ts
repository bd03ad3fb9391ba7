import { setTimeout as sleep } from 'node:timers/promises'

/** Counts the sessions of the pool under test on the server. */
export type SessionCounter = () => Promise<number>

/**
 * Polls until `count` returns `expected` or `withinMs` passes, and returns the last count.
 * The server sees a closed socket a moment after the client closes it.
 */
export async function waitForSessions (
  count: SessionCounter,
  expected: number,
  withinMs = 5000
): Promise<number> {
  const deadline = Date.now() + withinMs
  let sessions = await count()
  while (sessions !== expected && Date.now() < deadline) {
    await sleep(10)
    sessions = await count()
  }
  return sessions
}

export interface PeakReading {
  peak: number
  /** Readings that failed and were skipped. */
  failedReadings: number
}

export interface PeakWatch {
  /** Stops polling and returns the highest count seen. */
  stop (): Promise<PeakReading>
}

/** Polls `count` every `everyMs` until stopped, remembering the highest count. */
export function watchPeakSessions (count: SessionCounter, everyMs = 2): PeakWatch {
  const reading: PeakReading = { peak: 0, failedReadings: 0 }
  let stopped = false
  const polling = (async () => {
    while (!stopped) {
      try {
        reading.peak = Math.max(reading.peak, await count())
      } catch {
        // One server error must not end a long run, nor go unseen: it is counted.
        reading.failedReadings += 1
      }
      await sleep(everyMs)
    }
  })()

  return {
    stop: async () => {
      stopped = true
      await polling
      return reading
    }
  }
}
