import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { ROUTE, TOKEN, buildApp } from './helpers/app.js'
import { uniqueNamespace } from './helpers/fleet.js'

const MEMBER = fileURLToPath(new URL('./fixtures/fleet-member.ts', import.meta.url))

test('separate processes of one service form a fleet through Redis', async (t) => {
  const namespace = uniqueNamespace()
  const { app, db } = await buildApp(t, {
    fleet: { redis: 'redis://127.0.0.1:6379', namespace }, instanceId: 'in-test'
  })
  const ports: number[] = []
  for (const id of ['process-a', 'process-b']) {
    // The same loader flags as this test, so the fixture runs from its TypeScript source.
    const member = spawn(process.execPath, [...process.execArgv, MEMBER], {
      env: {
        ...process.env,
        MEMBER_ID: id,
        MEMBER_NAMESPACE: namespace,
        MEMBER_TOKEN: TOKEN,
        MEMBER_DB_USER: db.connection.user,
        MEMBER_DB_PASSWORD: db.connection.password
      },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    t.after(async () => {
      if (member.exitCode === null) {
        member.kill('SIGTERM')
        await once(member, 'exit')
      }
    })
    const [firstOutput] = await once(member.stdout, 'data') as [Buffer]
    ports.push(Number(String(firstOutput).trim()))
  }

  const response = await app.inject({
    method: 'POST', url: `${ROUTE}?scope=fleet`, headers: { 'x-reset-token': TOKEN }
  })

  t.match(response.json(), {
    summary: { status: 'complete', expected: 3, answered: 3 },
    instances: [
      { instanceId: 'in-test', outcome: 'reset' },
      { instanceId: 'process-a', outcome: 'reset' },
      { instanceId: 'process-b', outcome: 'reset' }
    ]
  })
  for (const port of ports) {
    const status = await fetch(`http://127.0.0.1:${port}${ROUTE}`)
    t.match(await status.json(), { generation: 2 }, `the member on port ${port} was reset`)
  }
})
