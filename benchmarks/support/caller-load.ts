import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'

/** One call that returned, timed from just before it was made. */
export interface CallRecord {
  startedAt: number
  durationMs: number
}

export interface CallerLoadOptions {
  /** How many callers run at once, each making its next call as soon as the last one ends. */
  callers: number
  /** Checked before every call; once it returns true the callers stop. */
  shouldStop: () => boolean
  call: () => Promise<unknown>
}

export interface CallerLoadOutcome {
  done: CallRecord[]
  failed: number
  /** How often each error message was seen. */
  failuresByMessage: Map<string, number>
}

/**
 * Runs concurrent callers until `shouldStop` says so. A failed call is counted and the caller
 * goes on after yielding to the event loop: a caller that retried at once on a call failing
 * synchronously would starve every timer and socket of the process.
 */
export async function runCallers (options: CallerLoadOptions): Promise<CallerLoadOutcome> {
  const outcome: CallerLoadOutcome = { done: [], failed: 0, failuresByMessage: new Map() }

  const caller = async (): Promise<void> => {
    while (!options.shouldStop()) {
      const startedAt = performance.now()
      try {
        await options.call()
        outcome.done.push({ startedAt, durationMs: performance.now() - startedAt })
      } catch (error) {
        countFailure(outcome, error)
        await nextTurn()
      }
    }
  }

  await Promise.all(Array.from({ length: options.callers }, caller))
  return outcome
}

function countFailure (outcome: CallerLoadOutcome, error: unknown): void {
  const message = String((error as Error).message)
  outcome.failed += 1
  outcome.failuresByMessage.set(message, (outcome.failuresByMessage.get(message) ?? 0) + 1)
}
