import { readSettings } from './support/cli-options.js'
import { createBenchUser, type BenchUser } from './support/database.js'
import { formatNumber, formatSpread, printTable, SPREAD_NOTE } from './support/markdown.js'
import { measureAfterWarmUp, spreadBy, MEASURED_RUNS } from './support/runs.js'
import {
  runResetLoad, SWAP_WINDOW_MS, type ResetApproach, type ResetLoadFigures
} from './reset-load.js'

const settings = readSettings({
  clients: { env: 'RESET_BENCH_CLIENTS', fallback: 64 },
  duration: { env: 'RESET_BENCH_DURATION_S', fallback: 20 },
  interval: { env: 'RESET_BENCH_INTERVAL_MS', fallback: 250 },
  'connection-limit': { env: 'RESET_BENCH_CONNECTION_LIMIT', fallback: 10 },
  runs: { env: 'RESET_BENCH_RUNS', fallback: MEASURED_RUNS }
})
const WARM_UP_MS = 2000
const APPROACHES: Array<[ResetApproach, string]> = [
  ['plugin', 'plugin (POST reset route)'],
  ['naive', 'naive (await end(), then a new pool)']
]
const MESSAGES_SHOWN = 5

async function measureApproach (
  user: BenchUser,
  approach: ResetApproach
): Promise<ResetLoadFigures[]> {
  const run = async (durationMs: number): Promise<ResetLoadFigures> => await runResetLoad({
    approach,
    clients: settings.clients,
    durationMs,
    resetEveryMs: settings.interval,
    connectionLimit: settings['connection-limit'],
    connection: user.connection,
    countSessions: user.countSessions
  })

  return await measureAfterWarmUp(async (index) =>
    await run(index === 0 ? WARM_UP_MS : settings.duration * 1000), settings.runs)
}

type Row = [string, (figures: ResetLoadFigures) => number, number]

const ROWS: Row[] = [
  ['queries done', (figures) => figures.queriesDone, 0],
  ['queries failed', (figures) => figures.queriesFailed, 0],
  ['resets done', (figures) => figures.resetsDone, 0],
  ['resets failed', (figures) => figures.resetsFailed, 0],
  ['failed queries per reset',
    (figures) => figures.queriesFailed / Math.max(figures.resetsDone, 1), 1],
  ['query p50 ms, overall', (figures) => figures.latency.p50, 2],
  ['query p99 ms, overall', (figures) => figures.latency.p99, 2],
  ['query max ms, overall', (figures) => figures.latency.max, 2],
  [`query p50 ms, ${SWAP_WINDOW_MS} ms after a swap`, (figures) => figures.latencyAfterSwap.p50, 2],
  [`query p99 ms, ${SWAP_WINDOW_MS} ms after a swap`, (figures) => figures.latencyAfterSwap.p99, 2],
  [`query max ms, ${SWAP_WINDOW_MS} ms after a swap`, (figures) => figures.latencyAfterSwap.max, 2],
  ['peak server-side connections', (figures) => figures.peakSessions, 0],
  ['server-side counts that failed', (figures) => figures.failedSessionCounts, 0],
  ['sessions left after close', (figures) => figures.sessionsAfterClose, 0]
]

function printFailures (label: string, results: ResetLoadFigures[]): void {
  const counts = new Map<string, number>()
  for (const figures of results) {
    for (const [message, count] of figures.failuresByMessage) {
      counts.set(message, (counts.get(message) ?? 0) + count)
    }
  }
  if (counts.size === 0) return

  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MESSAGES_SHOWN)
  printTable(`#### Errors the callers saw, ${label} (all measured runs)`, ['error', 'count'],
    top.map(([message, count]) => [message.replaceAll('|', '\\|'), formatNumber(count)]))
}

const user = await createBenchUser()
try {
  const results = new Map<ResetApproach, ResetLoadFigures[]>()
  for (const [approach] of APPROACHES) results.set(approach, await measureApproach(user, approach))

  printTable('### Reset under load', ['figure', ...APPROACHES.map(([, label]) => label)],
    ROWS.map(([label, field, decimals]) => [
      label,
      ...APPROACHES.map(([approach]) =>
        formatSpread(spreadBy(results.get(approach) ?? [], field), decimals))
    ]))
  console.log(`\n${SPREAD_NOTE} ${settings.clients} clients run SELECT 1 as fast as they can ` +
    `for ${settings.duration} s per run (warm-up ${WARM_UP_MS / 1000} s) while a reset fires ` +
    `every ${settings.interval} ms; pool of ${settings['connection-limit']}; ` +
    `runs: ${settings.runs}. ` +
    `"After a swap" takes the queries that started within ${SWAP_WINDOW_MS} ms after a reset ` +
    'returned. The plugin is reset through its POST route by inject. Server-side connections ' +
    'are sampled every few ms in PROCESSLIST, for a user of the run\'s own.')
  for (const [approach, label] of APPROACHES) printFailures(label, results.get(approach) ?? [])
} finally {
  await user.drop()
}
