import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import { createConnection, type RowDataPacket } from 'mysql2/promise'
import poolReset from '../plugin/index.js'
import { runCallers } from './support/caller-load.js'
import { readSettings } from './support/cli-options.js'
import { createBenchUser, type BenchUser } from './support/database.js'
import { formatNumber, formatSpread, printTable, SPREAD_NOTE } from './support/markdown.js'
import { measureAfterWarmUp, spreadBy, spreadOf } from './support/runs.js'
import { waitForSessions } from './support/sessions.js'

const settings = readSettings({
  callers: { env: 'BENCH_LATENCY_CALLERS', fallback: 32 }
})
const CONNECTION_LIMITS = [10, 50, 200]
const RESET_ROUTE = '/api/internal/reset-connection-pool'
const CLOSE_TIMEOUT_MS = 20_000
// Room left on the server for everyone else while a pool of ours is full.
const SESSIONS_SPARED = 20
const OPENS_PER_FLOOR_RUN = 20

interface ResetTiming {
  /** A GET of the status route just before the reset, on the connection the POST uses. */
  roundTripMs: number
  answeredMs: number
  firstQueryMs: number
  drainedMs: number
  closedMs: number
}

interface Case {
  connectionLimit: number
  loaded: boolean
  /** Connections the old pool held when the reset came. */
  held: number
}

async function openApp (user: BenchUser, connectionLimit: number, token: string) {
  const app = Fastify()
  await app.register(poolReset, {
    ...user.connection, connectionLimit, resetToken: token, minResetIntervalMs: 0
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return { app, port: (app.server.address() as AddressInfo).port }
}

/** Makes the pool open `count` connections by keeping that many statements busy at once. */
async function fillPool (app: FastifyInstance, user: BenchUser, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, async () =>
    await app.mysql.query('SELECT SLEEP(0.05)')))

  const sessions = await waitForSessions(user.countSessions, count)
  if (sessions !== count) throw new Error(`expected ${count} sessions, the server has ${sessions}`)
}

/**
 * Waits until no old pool is draining (`drainedAt`) and the server holds exactly the new pool's
 * connections (`closedAt`). A moment that does not come within `CLOSE_TIMEOUT_MS` is Infinity.
 */
async function oldPoolGone (app: FastifyInstance, user: BenchUser) {
  const deadline = performance.now() + CLOSE_TIMEOUT_MS
  let drainedAt = Infinity

  while (performance.now() < deadline) {
    const drained = app.mysql.status().draining.length === 0
    if (drained) drainedAt = Math.min(drainedAt, performance.now())
    if (drained && await user.countSessions() === app.mysql.status().current.total) {
      return { drainedAt, closedAt: performance.now() }
    }
    await nextTurn()
  }
  return { drainedAt, closedAt: Infinity }
}

interface NewPoolWatch {
  /** Takes the ids of the old pool's sessions; answers from any other session count. */
  arm (oldSessions: number[]): void
  /** Runs one query through the plugin and notes the time if the new pool answered it. */
  query (): Promise<void>
  /** When the new pool first answered; Infinity until then. */
  firstAnswerAt (): number
}

/** A caller queued on the old pool may be served by the new one, so the server is asked. */
function watchNewPool (app: FastifyInstance): NewPoolWatch {
  let oldSessions: Set<number> | undefined
  let firstAnswerAt = Infinity

  return {
    arm: (ids) => { oldSessions = new Set(ids) },
    query: async () => {
      const [rows] = await app.mysql.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')
      if (oldSessions?.has(Number(rows[0]?.id)) === false) {
        firstAnswerAt = Math.min(firstAnswerAt, performance.now())
      }
    },
    firstAnswerAt: () => firstAnswerAt
  }
}

async function measureReset (user: BenchUser, resetCase: Case): Promise<ResetTiming> {
  const token = randomBytes(24).toString('hex')
  const { app, port } = await openApp(user, resetCase.connectionLimit, token)
  const routeUrl = `http://127.0.0.1:${port}${RESET_ROUTE}`

  try {
    await fillPool(app, user, resetCase.held)
    const newPool = watchNewPool(app)
    let loadStopped = false
    const load = runCallers({
      callers: resetCase.loaded ? settings.callers : 0,
      shouldStop: () => loadStopped,
      call: newPool.query
    })
    if (resetCase.loaded) await sleep(300)

    const getStatus = async (): Promise<string> => await (await fetch(routeUrl)).text()
    await getStatus()
    const roundTripMs = await timed(getStatus)
    // The old pool is full, so the sessions now are exactly its connections.
    newPool.arm(await user.sessionIds())

    const startedAt = performance.now()
    const answer = await fetch(routeUrl, { method: 'POST', headers: { 'x-reset-token': token } })
    const answeredAt = performance.now()
    const body = await answer.text()
    if (answer.status !== 200) throw new Error(`reset answered ${answer.status}: ${body}`)
    // Idle, the first query is the one a caller makes when the answer arrives.
    if (!resetCase.loaded) await newPool.query()

    const { drainedAt, closedAt } = await oldPoolGone(app, user)
    loadStopped = true
    await load

    return {
      roundTripMs,
      answeredMs: answeredAt - startedAt,
      firstQueryMs: newPool.firstAnswerAt() - startedAt,
      drainedMs: drainedAt - startedAt,
      closedMs: closedAt - startedAt
    }
  } finally {
    await app.close()
    await waitForSessions(user.countSessions, 0)
  }
}

async function timed (work: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now()
  await work()
  return performance.now() - startedAt
}

/** Median time for mysql2 to open one connection to the server, over a batch of opens. */
async function measureConnectionOpen (user: BenchUser): Promise<number> {
  const times: number[] = []
  for (let open = 0; open < OPENS_PER_FLOOR_RUN; open++) {
    const startedAt = performance.now()
    const connection = await createConnection(user.connection)
    times.push(performance.now() - startedAt)
    await connection.end()
  }
  return spreadOf(times).median
}

async function casesFor (user: BenchUser): Promise<Case[]> {
  const room = await user.maxConnections() - await user.countAllSessions() -
    settings.callers - SESSIONS_SPARED
  return CONNECTION_LIMITS.flatMap((connectionLimit) => [false, true].map((loaded) => ({
    connectionLimit, loaded, held: Math.min(connectionLimit, room)
  })))
}

const user = await createBenchUser()
try {
  const floor = spreadOf(await measureAfterWarmUp(async () => await measureConnectionOpen(user)))
  const cases = await casesFor(user)
  const rows: string[][] = []

  for (const resetCase of cases) {
    const timings = await measureAfterWarmUp(async () => await measureReset(user, resetCase))
    const firstQuery = spreadBy(timings, (timing) => timing.firstQueryMs)
    rows.push([
      String(resetCase.connectionLimit),
      resetCase.loaded ? `${settings.callers} callers` : 'idle',
      String(resetCase.held),
      formatSpread(spreadBy(timings, (timing) => timing.roundTripMs), 2),
      formatSpread(spreadBy(timings, (timing) => timing.answeredMs), 2),
      formatSpread(firstQuery, 2),
      formatNumber(firstQuery.median / floor.median, 1),
      formatSpread(spreadBy(timings, (timing) => timing.drainedMs), 2),
      formatSpread(spreadBy(timings, (timing) => timing.closedMs), 2)
    ])
  }

  printTable('### Reset latency: the floor', ['figure', 'ms'], [
    [`open one connection (median of ${OPENS_PER_FLOOR_RUN} per run)`, formatSpread(floor, 2)]
  ])
  printTable('### Reset latency (ms from sending POST)', [
    'connectionLimit', 'load', 'old pool held', 'GET status (HTTP cost)', 'POST answered',
    'first query on new pool', 'first query / floor', 'old pool drained (status)',
    'server back to new pool\'s count'
  ], rows)
  console.log(`\n${SPREAD_NOTE} Idle: nothing runs, and one query is made when the answer ` +
    'arrives. Loaded: the callers query through fastify.mysql, and the first answer from a ' +
    'connection of the new pool counts, whether the query was made before or after the swap. ' +
    'The old pool was filled before each reset, up to what the server\'s max_connections ' +
    'leaves room for. The HTTP cost is a GET of the status route just before the POST, on ' +
    'the keep-alive connection the POST then uses. The ratio compares medians. n/a: did not ' +
    `happen within ${CLOSE_TIMEOUT_MS / 1000} s.`)
} finally {
  await user.drop()
}
