import { test } from 'tap'
import { runResetLoad, type ResetLoadOptions } from '../benchmarks/reset-load.js'
import { runCallers } from '../benchmarks/support/caller-load.js'
import { waitForSessions, watchPeakSessions } from '../benchmarks/support/sessions.js'
import { createPluginUser, type PluginUser } from './helpers/database.js'

function loadOptions (db: PluginUser): Omit<ResetLoadOptions, 'approach' | 'durationMs'> {
  return {
    clients: 64,
    resetEveryMs: 250,
    connectionLimit: 10,
    connection: db.connection,
    countSessions: async () => (await db.threadIds()).length
  }
}

test('the plugin fails no query while resets fire every 250 ms under load', async (t) => {
  const db = await createPluginUser(t)

  const figures = await runResetLoad({ ...loadOptions(db), approach: 'plugin', durationMs: 3000 })

  t.equal(figures.queriesFailed, 0, 'no query failed')
  t.same([...figures.failuresByMessage], [], 'no error was seen')
  t.ok(figures.queriesDone > 0, 'the callers got answers')
  t.ok(figures.resetsDone >= 5, 'the resets fired')
  t.equal(figures.resetsFailed, 0, 'every reset succeeded')
  t.ok(figures.peakSessions > 0, 'the server saw the pool')
  t.equal(figures.failedSessionCounts, 0, 'every server-side count succeeded')
  t.equal(figures.sessionsAfterClose, 0, 'closing left no session behind')
})

test('the naive approach runs through the same load', async (t) => {
  const db = await createPluginUser(t)

  const figures = await runResetLoad({ ...loadOptions(db), approach: 'naive', durationMs: 1000 })

  t.ok(figures.resetsDone > 0, 'the naive resets fired')
  t.equal(figures.queriesDone + figures.queriesFailed > 0, true, 'the callers ran')
})

test('a failed call is counted and its caller goes on', async (t) => {
  let calls = 0

  const outcome = await runCallers({
    callers: 2,
    shouldStop: () => calls >= 6,
    call: async () => {
      calls += 1
      throw new Error('refused')
    }
  })

  t.equal(outcome.failed, 6)
  t.same([...outcome.failuresByMessage], [['refused', 6]])
  t.same(outcome.done, [])
})

test('waiting for sessions polls until the count is reached or time runs out', async (t) => {
  const counts = [2, 1, 0]
  const countDown = async (): Promise<number> => counts.shift() ?? 0

  t.equal(await waitForSessions(countDown, 0), 0, 'it polled until the count was reached')
  t.equal(await waitForSessions(async () => 3, 0, 30), 3, 'it gave up with the last count')
})

test('the peak watch skips a failed reading and counts it', async (t) => {
  let readings = 0
  let thirdReading = (): void => {}
  const readThrice = new Promise<void>((resolve) => { thirdReading = resolve })
  const count = async (): Promise<number> => {
    readings += 1
    if (readings === 3) thirdReading()
    if (readings === 1) throw new Error('server gone for a moment')
    return readings
  }

  const watch = watchPeakSessions(count, 1)
  await readThrice

  t.same(await watch.stop(), { peak: 3, failedReadings: 1 })
})
