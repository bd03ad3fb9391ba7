import { startChildServer, type ChildServer } from './support/child-server.js'
import { readSettings } from './support/cli-options.js'
import { loadHttp, type HttpLoad, type HttpLoadFigures } from './support/http-load.js'
import { formatNumber, formatSpread, printTable, SPREAD_NOTE } from './support/markdown.js'
import { measureAfterWarmUp, spreadBy, spreadOf } from './support/runs.js'

const settings = readSettings({
  seconds: { env: 'BENCH_HTTP_SECONDS', fallback: 5 },
  connections: { env: 'BENCH_HTTP_CONNECTIONS', fallback: 32 }
})
const RESET_ROUTE = '/api/internal/reset-connection-pool'
const RATIO_GOAL = 0.98

interface Round {
  plain: HttpLoadFigures
  plugin: HttpLoadFigures
  status: HttpLoadFigures
  wrongToken: HttpLoadFigures
}

async function measureRound (plain: ChildServer, plugin: ChildServer, run: number): Promise<Round> {
  const load = (server: ChildServer, request: Pick<HttpLoad, 'path' | 'method' | 'headers'>) =>
    async () => await loadHttp({
      port: server.port,
      durationS: settings.seconds,
      connections: settings.connections,
      ...request
    })
  const plainWork = load(plain, { path: '/work' })
  const pluginWork = load(plugin, { path: '/work' })

  // Alternate which service goes first, so that drift over the run favours neither.
  const [first, second] = run % 2 === 0 ? [plainWork, pluginWork] : [pluginWork, plainWork]
  const firstFigures = await first()
  const secondFigures = await second()
  const [plainFigures, pluginFigures] = run % 2 === 0
    ? [firstFigures, secondFigures]
    : [secondFigures, firstFigures]

  return {
    plain: plainFigures,
    plugin: pluginFigures,
    status: await load(plugin, { path: RESET_ROUTE })(),
    wrongToken: await load(plugin, {
      path: RESET_ROUTE,
      method: 'POST',
      headers: { 'x-reset-token': 'wrong-token-of-the-right-length-0123456789abcdef' }
    })()
  }
}

function printRounds (rounds: Round[]): void {
  const cases: Array<[string, keyof Round]> = [
    ['GET /work (one SELECT 1), plain mysql2 pool', 'plain'],
    ['GET /work (one SELECT 1), plugin registered', 'plugin'],
    ['GET status route', 'status'],
    ['POST reset route, wrong token', 'wrongToken']
  ]

  printTable('### Route path', ['route', 'req/s', 'p99 ms', 'non-2xx share', 'socket errors'],
    cases.map(([label, key]) => [
      label,
      formatSpread(spreadBy(rounds, (round) => round[key].requestsPerSecond)),
      formatSpread(spreadBy(rounds, (round) => round[key].p99Ms)),
      `${formatNumber(spreadBy(rounds, (round) => nonSuccessShare(round[key])).median, 1)} %`,
      formatNumber(rounds.reduce((sum, round) => sum + round[key].errors, 0))
    ]))

  const ratio = spreadOf(rounds.map((round) =>
    round.plugin.requestsPerSecond / round.plain.requestsPerSecond))
  printTable('### Route path: plugin / plain', ['figure', 'ratio', 'goal'], [
    ['req/s of GET /work, per round', formatSpread(ratio, 3), `≥ ${RATIO_GOAL}`]
  ])
  console.log(`\n${SPREAD_NOTE} autocannon: ${settings.connections} connections, ` +
    `${settings.seconds} s per run, in this process; each service in a process of its own. ` +
    'Socket errors are summed over the measured runs.')
}

function nonSuccessShare (figures: HttpLoadFigures): number {
  return 100 * figures.non2xx / Math.max(figures.requests, 1)
}

const plain = await startChildServer('servers/route-service.js', ['plain'])
const plugin = await startChildServer('servers/route-service.js', ['plugin'])
try {
  printRounds(await measureAfterWarmUp(async (run) => await measureRound(plain, plugin, run)))
} finally {
  await Promise.all([plain.stop(), plugin.stop()])
}
