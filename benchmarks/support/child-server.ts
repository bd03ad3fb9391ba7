import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { withDeadline } from './deadline.js'

/** A server running in a process of its own, listening on 127.0.0.1. */
export interface ChildServer {
  port: number
  /** Asks the server to close, and kills it if it has not exited within a few seconds. */
  stop (): Promise<void>
}

const START_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 5_000

/**
 * Starts `script` (a path under the benchmarks folder, such as `servers/route-service.js`) with
 * `args`, and waits for the line `{"port":N}` it prints once it listens.
 */
export async function startChildServer (script: string, args: string[]): Promise<ChildServer> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url))
  const child = spawn(process.execPath, [path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')

  try {
    const port = await withDeadline(portAnnounced(child.stdout, script), START_TIMEOUT_MS,
      `${script} did not report its port within ${START_TIMEOUT_MS} ms`)
    // Keep reading so that anything else the server prints can never fill the pipe.
    child.stdout.resume()
    return {
      port,
      stop: async () => {
        child.kill('SIGTERM')
        await withDeadline(exited, STOP_TIMEOUT_MS, 'too slow').catch(() => child.kill('SIGKILL'))
      }
    }
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
}

async function portAnnounced (output: NodeJS.ReadableStream, script: string): Promise<number> {
  for await (const line of createInterface({ input: output })) {
    const port = (JSON.parse(line) as { port?: unknown }).port
    if (typeof port === 'number') return port
  }
  throw new Error(`${script} exited before it reported its port`)
}
