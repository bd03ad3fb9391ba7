import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  openNaivePool, openPluginPool, type PoolSettings, type PoolUnderTest
} from './reset-approaches.js'
import { runCallers, type CallerLoadOutcome, type CallRecord } from './support/caller-load.js'
import type { DatabaseConnection } from './support/database.js'
import { latencyOf, type LatencyFigures } from './support/latency.js'
import {
  waitForSessions, watchPeakSessions, type PeakReading, type SessionCounter
} from './support/sessions.js'

export type ResetApproach = 'plugin' | 'naive'

export interface ResetLoadOptions {
  approach: ResetApproach
  /** Concurrent callers, each querying as fast as it can. */
  clients: number
  durationMs: number
  resetEveryMs: number
  connectionLimit: number
  /** A database user of the run's own, so that `countSessions` sees only this pool. */
  connection: DatabaseConnection
  countSessions: SessionCounter
}

export interface ResetLoadFigures {
  queriesDone: number
  queriesFailed: number
  failuresByMessage: Map<string, number>
  resetsDone: number
  resetsFailed: number
  latency: LatencyFigures
  /** Queries that started within `SWAP_WINDOW_MS` after a successful reset returned. */
  latencyAfterSwap: LatencyFigures
  peakSessions: number
  /** Server-side counts that failed while the load ran, and were left out of the peak. */
  failedSessionCounts: number
  /** Sessions still on the server a few seconds after the pool was closed: leaks. */
  sessionsAfterClose: number
}

export const SWAP_WINDOW_MS = 100
const QUERY = 'SELECT 1'

const OPENERS: Record<ResetApproach, (settings: PoolSettings) => Promise<PoolUnderTest>> = {
  plugin: openPluginPool,
  naive: openNaivePool
}

interface SwapRecord {
  succeeded: boolean
  at: number
}

/**
 * Runs `clients` callers against a pool for `durationMs` while the pool is reset every
 * `resetEveryMs`, and returns what the callers and the server saw.
 */
export async function runResetLoad (options: ResetLoadOptions): Promise<ResetLoadFigures> {
  const pool = await OPENERS[options.approach]({
    connection: options.connection,
    connectionLimit: options.connectionLimit
  })
  const peakWatch = watchPeakSessions(options.countSessions)
  const deadline = performance.now() + options.durationMs

  let load: [CallerLoadOutcome, SwapRecord[]]
  let peak: PeakReading
  try {
    load = await Promise.all([
      runCallers({
        callers: options.clients,
        shouldStop: () => performance.now() >= deadline,
        call: async () => await pool.query(QUERY)
      }),
      fireResets(pool, options.resetEveryMs, deadline)
    ])
  } finally {
    // Also when a reset threw: a watch or a pool left open would keep the process alive.
    peak = await peakWatch.stop()
    await pool.close()
  }
  const [calls, swaps] = load
  const sessionsAfterClose = await waitForSessions(options.countSessions, 0)

  const swapTimes = swaps.filter((swap) => swap.succeeded).map((swap) => swap.at)
  return {
    queriesDone: calls.done.length,
    queriesFailed: calls.failed,
    failuresByMessage: calls.failuresByMessage,
    resetsDone: swapTimes.length,
    resetsFailed: swaps.length - swapTimes.length,
    latency: latencyOf(calls.done.map((call) => call.durationMs)),
    latencyAfterSwap: latencyOf(durationsSoonAfter(calls.done, swapTimes)),
    peakSessions: peak.peak,
    failedSessionCounts: peak.failedReadings,
    sessionsAfterClose
  }
}

/** Resets on a fixed beat; a reset that overruns its beat is followed at once by the next. */
async function fireResets (
  pool: PoolUnderTest,
  everyMs: number,
  deadline: number
): Promise<SwapRecord[]> {
  const swaps: SwapRecord[] = []

  for (
    let due = performance.now() + everyMs;
    due < deadline;
    due = Math.max(due + everyMs, performance.now())
  ) {
    await sleep(due - performance.now())
    const succeeded = await pool.reset()
    swaps.push({ succeeded, at: performance.now() })
  }
  return swaps
}

/** Durations of the calls that started less than `SWAP_WINDOW_MS` after a swap. */
function durationsSoonAfter (calls: CallRecord[], swapTimes: number[]): number[] {
  const byStart = [...calls].sort((a, b) => a.startedAt - b.startedAt)
  const upcoming = swapTimes.values()
  let latestSwap = -Infinity
  let nextSwap = upcoming.next()
  const durations: number[] = []

  for (const call of byStart) {
    while (nextSwap.done !== true && nextSwap.value <= call.startedAt) {
      latestSwap = nextSwap.value
      nextSwap = upcoming.next()
    }
    if (call.startedAt - latestSwap < SWAP_WINDOW_MS) durations.push(call.durationMs)
  }
  return durations
}
