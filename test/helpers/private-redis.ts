import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { freePort } from './private-server.js'
import type { TestContext } from './context.js'

/** A redis-server of the test's own on 127.0.0.1, keeping nothing on disk. */
export interface PrivateRedis {
  url: string
  stop (): Promise<void>
}

export async function startPrivateRedis (t: TestContext): Promise<PrivateRedis> {
  const port = await freePort()
  const server: ChildProcess = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'
  ], { stdio: 'ignore' })
  const stop = async (): Promise<void> => {
    if (server.exitCode !== null || server.signalCode !== null) return
    server.kill('SIGTERM')
    await once(server, 'exit')
  }
  t.after(stop)

  const url = `redis://127.0.0.1:${port}`
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null })
  for (let attempt = 0; ; attempt++) {
    try {
      await probe.connect()
      break
    } catch (error) {
      if (attempt > 100) throw error
      await sleep(50)
    }
  }
  probe.disconnect()
  return { url, stop }
}
