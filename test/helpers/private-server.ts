import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { createConnection } from 'mysql2/promise'
import type { TestContext } from './context.js'

/** A mariadbd of the test's own, on 127.0.0.1 with its own port and data directory. */
export interface PrivateServer {
  /** Connection options for root on this server, database `test`. */
  connection: { host: string, port: number, user: string, database: string }
  start (): Promise<void>
  stop (): Promise<void>
}

const BOOT_LIMIT_MS = 20_000

export async function startPrivateServer (
  t: TestContext,
  extraArguments: string[] = []
): Promise<PrivateServer> {
  const directory = await mkdtemp(join(tmpdir(), 'pool-reset-mariadb-'))
  const dataDirectory = join(directory, 'data')
  const port = await freePort()
  const connection = { host: '127.0.0.1', port, user: 'root', database: 'test' }
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults', `--datadir=${dataDirectory}`, '--auth-root-authentication-method=normal',
    '--skip-test-db'
  ])
  let server: ChildProcess | undefined

  const start = async (): Promise<void> => {
    server = spawn('/usr/sbin/mariadbd', [
      '--no-defaults', `--datadir=${dataDirectory}`, `--port=${port}`, '--bind-address=127.0.0.1',
      `--socket=${join(directory, 'mariadb.sock')}`, `--pid-file=${join(directory, 'mariadb.pid')}`,
      '--user=root', '--skip-log-bin', '--innodb-buffer-pool-size=16M', ...extraArguments
    ], { stdio: 'ignore' })
    await waitUntilServing(port)
  }
  const stop = async (): Promise<void> => {
    const running = server
    server = undefined
    if (running === undefined || running.exitCode !== null) return
    running.kill('SIGTERM')
    await once(running, 'exit')
  }

  t.after(async () => {
    await stop()
    await rm(directory, { recursive: true, force: true })
  })
  await start()
  const admin = await createConnection({ ...connection, database: undefined })
  await admin.query('CREATE DATABASE IF NOT EXISTS test')
  await admin.end()
  return { connection, start, stop }
}

async function waitUntilServing (port: number): Promise<void> {
  const deadline = Date.now() + BOOT_LIMIT_MS
  for (;;) {
    try {
      const probe = await createConnection({ host: '127.0.0.1', port, user: 'root' })
      await probe.end()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await sleep(100)
    }
  }
}

export async function freePort (): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}
