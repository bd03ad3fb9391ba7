import { randomBytes } from 'node:crypto'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import poolReset from '../plugin/index.js'
import { readSettings } from './support/cli-options.js'
import { createBenchUser, type BenchUser } from './support/database.js'
import { formatSpread, printTable, SPREAD_NOTE } from './support/markdown.js'
import { measureAfterWarmUp, spreadBy } from './support/runs.js'
import { waitForSessions } from './support/sessions.js'

const settings = readSettings({
  resets: { env: 'BENCH_MEMORY_RESETS', fallback: 1000 }
})
const RESET_ROUTE = '/api/internal/reset-connection-pool'
const DRAIN_TIMEOUT_MS = 10_000
const MIB = 2 ** 20

function garbageCollector (): () => void {
  if (globalThis.gc === undefined) {
    console.error('memory.js needs the garbage collector: run it with node --expose-gc')
    process.exit(1)
  }
  return globalThis.gc
}
const collectGarbage = garbageCollector()

interface Memory {
  rss: number
  heapUsed: number
}

interface MemoryRun {
  afterOne: Memory
  afterMany: Memory
  /** Pools still draining after the last reset, once they had up to 10 s to finish. */
  stillDraining: number
  /** The user's sessions on the server then; the current pool holds one. */
  sessions: number
}

async function settledMemory (): Promise<Memory> {
  // Several rounds, so that objects freed by finalisers of the last round go too.
  for (let round = 0; round < 3; round++) {
    collectGarbage()
    await nextTurn()
  }
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed }
}

async function resetThroughRoute (app: FastifyInstance, token: string): Promise<void> {
  const answer = await app.inject({
    method: 'POST', url: RESET_ROUTE, headers: { 'x-reset-token': token }
  })
  if (answer.statusCode !== 200) throw new Error(`reset answered ${answer.statusCode}`)
  await app.mysql.query('SELECT 1')
}

async function drainingAfterWait (app: FastifyInstance): Promise<number> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS
  while (app.mysql.status().draining.length > 0 && Date.now() < deadline) await sleep(5)
  return app.mysql.status().draining.length
}

async function measureRun (user: BenchUser): Promise<MemoryRun> {
  const token = randomBytes(24).toString('hex')
  const app = Fastify()
  await app.register(poolReset, { ...user.connection, resetToken: token, minResetIntervalMs: 0 })
  await app.ready()

  try {
    await resetThroughRoute(app, token)
    await drainingAfterWait(app)
    const afterOne = await settledMemory()

    for (let reset = 1; reset < settings.resets; reset++) await resetThroughRoute(app, token)
    const stillDraining = await drainingAfterWait(app)
    const afterMany = await settledMemory()

    const sessions = await waitForSessions(user.countSessions, 1)
    return { afterOne, afterMany, stillDraining, sessions }
  } finally {
    await app.close()
    await waitForSessions(user.countSessions, 0)
  }
}

function mib (bytes: number): number {
  return bytes / MIB
}

const user = await createBenchUser()
try {
  const runs = await measureAfterWarmUp(async () => await measureRun(user))
  const rows = (['rss', 'heapUsed'] as const).map((field) => [
    field === 'rss' ? 'resident set (MiB)' : 'heap used (MiB)',
    formatSpread(spreadBy(runs, (run) => mib(run.afterOne[field])), 1),
    formatSpread(spreadBy(runs, (run) => mib(run.afterMany[field])), 1),
    formatSpread(spreadBy(runs, (run) => mib(run.afterMany[field] - run.afterOne[field])), 2)
  ])

  printTable('### Memory after resets',
    ['figure', 'after 1 reset', `after ${settings.resets} resets`, 'difference'], rows)
  printTable('### State after the resets', ['figure', 'value'], [
    ['pools still draining', formatSpread(spreadBy(runs, (run) => run.stillDraining))],
    ['server-side sessions (the current pool holds 1)',
      formatSpread(spreadBy(runs, (run) => run.sessions))]
  ])
  console.log(`\n${SPREAD_NOTE} Each run is a new Fastify instance with the plugin; every ` +
    'reset goes through the POST route (inject) and is followed by one SELECT 1. Memory is ' +
    'read after the old pools drained and three garbage collections.')
} finally {
  await user.drop()
}
