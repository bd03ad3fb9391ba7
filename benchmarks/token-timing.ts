import { randomBytes } from 'node:crypto'
import { createTokenMatcher } from '../plugin/secret.js'
import { readSettings } from './support/cli-options.js'
import { formatNumber, formatSpread, printTable, SPREAD_NOTE } from './support/markdown.js'
import { measureAfterWarmUp, spreadBy } from './support/runs.js'

const settings = readSettings({
  iterations: { env: 'BENCH_TOKEN_ITERATIONS', fallback: 100_000 }
})

// 32 hex characters: the shortest token the plugin accepts. No candidate below uses 'z', so
// a run of 'z' never matches any character of it.
const TOKEN = randomBytes(16).toString('hex')

function guessWithRightPrefix (leading: number): string {
  return TOKEN.slice(0, leading) + 'z'.repeat(TOKEN.length - leading)
}

const CANDIDATES: Array<[string, string]> = [
  ['wrong, 0 leading characters right', guessWithRightPrefix(0)],
  ['wrong, 16 leading characters right', guessWithRightPrefix(16)],
  ['wrong, 31 leading characters right', guessWithRightPrefix(31)],
  ['right token plus one character (other length)', `${TOKEN}z`],
  ['right token', TOKEN]
]

const matches = createTokenMatcher([TOKEN])

/** Nanoseconds per comparison of `candidate`, over the set number of iterations. */
function timeComparisons (candidate: string): number {
  let matched = 0
  const startedAt = process.hrtime.bigint()
  for (let iteration = 0; iteration < settings.iterations; iteration++) {
    matched += Number(matches(candidate))
  }
  const elapsed = Number(process.hrtime.bigint() - startedAt)

  // Using the count keeps the loop from being optimised away, and checks the candidates.
  if (matched !== (candidate === TOKEN ? settings.iterations : 0)) {
    throw new Error('the matcher answered wrongly')
  }
  return elapsed / settings.iterations
}

/** Times every candidate once, starting at a different one each run to spread drift. */
async function measureRun (run: number): Promise<number[]> {
  const times = new Array<number>(CANDIDATES.length).fill(0)
  for (let step = 0; step < CANDIDATES.length; step++) {
    const index = (run + step) % CANDIDATES.length
    times[index] = timeComparisons(CANDIDATES[index]?.[1] ?? '')
  }
  return times
}

const runs = await measureAfterWarmUp(measureRun)
const rightMedian = spreadBy(runs, (times) => times[CANDIDATES.length - 1] ?? 0).median

printTable('### Token comparison (plugin/secret.ts createTokenMatcher)',
  ['candidate', 'ns per comparison', 'median vs right token'],
  CANDIDATES.map(([label], index) => {
    const spread = spreadBy(runs, (times) => times[index] ?? 0)
    return [label, formatSpread(spread), formatNumber(spread.median / rightMedian, 3)]
  }))
console.log(`\n${SPREAD_NOTE} ${formatNumber(settings.iterations)} comparisons per candidate ` +
  `and run, against one accepted token of ${TOKEN.length} characters.`)
