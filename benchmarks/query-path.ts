import { performance } from 'node:perf_hooks'
import Fastify from 'fastify'
import { createPool } from 'mysql2/promise'
import poolReset from '../plugin/index.js'
import { runCallers } from './support/caller-load.js'
import { readSettings } from './support/cli-options.js'
import { COMPARED_POOL_OPTIONS } from './support/database.js'
import { latencyOf } from './support/latency.js'
import { formatSpread, printTable, SPREAD_NOTE } from './support/markdown.js'
import { measureAfterWarmUp, spreadBy, spreadOf } from './support/runs.js'

const settings = readSettings({
  seconds: { env: 'BENCH_QUERY_SECONDS', fallback: 2 },
  callers: { env: 'BENCH_QUERY_CALLERS', fallback: 32 }
})
const RATIO_GOAL = 0.97

const QUERIES = {
  'SELECT 1': 'SELECT 1',
  '100-row select': 'WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq ' +
    'WHERE n < 100) SELECT n, CONCAT(\'row-\', n) AS label, n * 1.5 AS weight FROM seq'
}
type QueryName = keyof typeof QUERIES
type Runner = (sql: string) => Promise<unknown>

interface QueryFigures {
  queriesPerSecond: number
  p99Ms: number
  failed: number
}

interface Round {
  plain: QueryFigures
  plugin: QueryFigures
}

/** Runs the callers against one runner for the set time. */
async function measure (run: Runner, sql: string): Promise<QueryFigures> {
  const startedAt = performance.now()
  const deadline = startedAt + settings.seconds * 1000
  const outcome = await runCallers({
    callers: settings.callers,
    shouldStop: () => performance.now() >= deadline,
    call: async () => await run(sql)
  })
  const elapsedS = (performance.now() - startedAt) / 1000

  return {
    queriesPerSecond: outcome.done.length / elapsedS,
    p99Ms: latencyOf(outcome.done.map((call) => call.durationMs)).p99,
    failed: outcome.failed
  }
}

async function measureRound (
  plain: Runner,
  plugin: Runner,
  sql: string,
  run: number
): Promise<Round> {
  // Alternate which runner goes first, so that drift over the run favours neither.
  if (run % 2 === 0) {
    const plainFigures = await measure(plain, sql)
    return { plain: plainFigures, plugin: await measure(plugin, sql) }
  }
  const pluginFigures = await measure(plugin, sql)
  return { plain: await measure(plain, sql), plugin: pluginFigures }
}

function rowsOf (name: QueryName, rounds: Round[]): string[][] {
  return (['plain', 'plugin'] as const).map((side) => [
    name,
    side === 'plain' ? 'plain mysql2 pool' : 'fastify.mysql.query',
    formatSpread(spreadBy(rounds, (round) => round[side].queriesPerSecond)),
    formatSpread(spreadBy(rounds, (round) => round[side].p99Ms), 2),
    String(rounds.reduce((sum, round) => sum + round[side].failed, 0))
  ])
}

const pluginApp = Fastify()
await pluginApp.register(poolReset, { ...COMPARED_POOL_OPTIONS })
await pluginApp.ready()
const plainPool = createPool({ ...COMPARED_POOL_OPTIONS })
const plain: Runner = async (sql) => await plainPool.query(sql)
const plugin: Runner = async (sql) => await pluginApp.mysql.query(sql)

try {
  const results = new Map<QueryName, Round[]>()
  for (const name of Object.keys(QUERIES) as QueryName[]) {
    results.set(name, await measureAfterWarmUp(async (run) =>
      await measureRound(plain, plugin, QUERIES[name], run)))
  }

  const rows = [...results].flatMap(([name, rounds]) => rowsOf(name, rounds))
  printTable('### Query path', ['query', 'through', 'queries/s', 'p99 ms', 'failed'], rows)
  printTable('### Query path: plugin / plain', ['query', 'queries/s ratio, per round', 'goal'],
    [...results].map(([name, rounds]) => [
      name,
      formatSpread(spreadOf(rounds.map((round) =>
        round.plugin.queriesPerSecond / round.plain.queriesPerSecond)), 3),
      `≥ ${RATIO_GOAL}`
    ]))
  console.log(`\n${SPREAD_NOTE} ${settings.callers} concurrent callers in one process, ` +
    `${settings.seconds} s per run, pool of ${COMPARED_POOL_OPTIONS.connectionLimit} ` +
    'on both sides.')
} finally {
  await Promise.all([pluginApp.close(), plainPool.end()])
}
