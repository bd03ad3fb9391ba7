import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createConnection, type RowDataPacket } from 'mysql2/promise'
import { ROOT_CONNECTION } from './support/database.js'
import { describeMachine } from './support/machine.js'

interface Benchmark {
  title: string
  script: string
  nodeFlags?: string[]
  /** Settings for this run of all benchmarks, unless the environment sets them already. */
  env?: Record<string, string>
}

// The reset benchmark runs 6 s per run here rather than its 20 s, to keep the whole run short.
const BENCHMARKS: Benchmark[] = [
  { title: '1. Query path', script: 'query-path.js' },
  { title: '2. Route path', script: 'route-path.js' },
  { title: '3. Reset latency', script: 'reset-latency.js' },
  {
    title: '4. Reset under load',
    script: 'reset-under-load.js',
    env: { RESET_BENCH_DURATION_S: '6' }
  },
  { title: '5. Memory', script: 'memory.js', nodeFlags: ['--expose-gc'] },
  { title: '6. Token timing', script: 'token-timing.js' }
]

async function serverVersion (): Promise<string> {
  const connection = await createConnection(ROOT_CONNECTION)
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version')
    return String(rows[0]?.version)
  } finally {
    await connection.end()
  }
}

/** Runs one benchmark in a process of its own, its output going straight to ours. */
async function runBenchmark (benchmark: Benchmark): Promise<number> {
  const path = fileURLToPath(new URL(benchmark.script, import.meta.url))
  const child = spawn(process.execPath, [...(benchmark.nodeFlags ?? []), path], {
    stdio: 'inherit',
    env: { ...benchmark.env, ...process.env }
  })
  const [code] = await once(child, 'exit') as [number | null]
  return code ?? 1
}

console.log('## Benchmarks\n')
for (const line of [...describeMachine(), `Database server: ${await serverVersion()}`]) {
  console.log(`- ${line}`)
}

const failed: string[] = []
for (const benchmark of BENCHMARKS) {
  console.log(`\n## ${benchmark.title}`)
  const startedAt = performance.now()
  const code = await runBenchmark(benchmark)
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(0)
  console.log(`\n(${benchmark.script}: ${seconds} s${code === 0 ? '' : `, exit code ${code}`})`)
  if (code !== 0) failed.push(benchmark.script)
}

if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(', ')}`)
  process.exitCode = 1
}
