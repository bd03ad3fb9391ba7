import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

// Starts N instances of the example service on consecutive ports, all in one fleet through the
// Redis on 127.0.0.1:6379, resets them all with one curl, prints the answer and stops them.
const count = Number(process.argv[2] ?? process.env.FLEET_SIZE ?? 3)
const firstPort = Number(process.env.PORT ?? 3100)
const token = process.env.CONNECTION_POOL_RESET_TOKEN ?? randomBytes(32).toString('hex')
const service = fileURLToPath(new URL('./service.js', import.meta.url))
const route = '/api/internal/reset-connection-pool?scope=fleet'

const instances: ChildProcess[] = []
try {
  for (let index = 0; index < count; index++) {
    instances.push(await startInstance(firstPort + index, `demo-${index}`))
  }
  const lastPort = firstPort + count - 1
  process.stdout.write(`${count} instances listening on ports ${firstPort}-${lastPort}\n`)

  const url = `http://127.0.0.1:${firstPort}${route}`
  const command = ['-s', '-X', 'POST', '-H', `x-reset-token: ${token}`, url]
  process.stdout.write(`$ curl -s -X POST -H "x-reset-token: $TOKEN" '${url}'\n`)
  const curl = spawn('curl', command, { stdio: ['ignore', 'pipe', 'inherit'] })
  let answer = ''
  curl.stdout.on('data', (chunk: Buffer) => { answer += String(chunk) })
  await once(curl, 'exit')
  process.stdout.write(`${JSON.stringify(JSON.parse(answer), null, 2)}\n`)
} finally {
  for (const instance of instances) instance.kill('SIGTERM')
  await Promise.all(instances.map(async (instance) => await once(instance, 'exit')))
}

async function startInstance (port: number, instanceId: string): Promise<ChildProcess> {
  const instance = spawn(process.execPath, [service], {
    env: {
      ...process.env,
      PORT: String(port),
      CONNECTION_POOL_RESET_TOKEN: token,
      FLEET_REDIS_URL: process.env.FLEET_REDIS_URL ?? 'redis://127.0.0.1:6379',
      INSTANCE_ID: instanceId
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let output = ''
  for await (const chunk of instance.stdout) {
    output += String(chunk)
    if (output.includes('Server listening')) break
  }
  instance.stdout.resume()
  return instance
}
