import { Redis } from 'ioredis'
import { test } from 'tap'
import { ROUTE, TOKEN, postReset } from './helpers/app.js'
import { REDIS_URL, buildFleet } from './helpers/fleet.js'

const RIGHT = { 'x-reset-token': TOKEN }
const FLEET = `${ROUTE}?scope=fleet`

test('one POST resets every member and reports each', async (t) => {
  const { apps } = await buildFleet(t, 3)
  const [receiver] = apps as [typeof apps[0]]

  const response = await receiver.inject({ method: 'POST', url: FLEET, headers: RIGHT })

  t.equal(response.statusCode, 200)
  t.match(response.json(), {
    action: 'reset',
    summary: { status: 'complete', expected: 3, answered: 3, missing: 0 },
    missing: [],
    instances: [0, 1, 2].map((index) => ({
      instanceId: `instance-${index}`, outcome: 'reset', generationBefore: 1, generationAfter: 2
    }))
  })
  t.same(apps.map((app) => app.mysql.status().generation), [2, 2, 2])
})

test('GET gathers every member\'s status', async (t) => {
  const { apps } = await buildFleet(t, 2)
  await apps[1]?.mysql.reset()

  const response = await apps[0]?.inject({ url: FLEET })

  t.equal(response?.statusCode, 200)
  t.match(response?.json(), {
    action: 'status',
    summary: { status: 'complete', answered: 2 },
    instances: [
      { instanceId: 'instance-0', outcome: 'status', status: { generation: 1 } },
      { instanceId: 'instance-1', outcome: 'status', status: { generation: 2, current: Object } }
    ]
  })
})

test('members follow the local rules: cooldown, and the same guards on the route', async (t) => {
  const { apps } = await buildFleet(t, 2, { minResetIntervalMs: 60_000 })
  await apps[1]?.mysql.reset({ minIntervalMs: 60_000 })

  const response = await apps[0]?.inject({ method: 'POST', url: FLEET, headers: RIGHT })
  const body = response?.json()

  t.match(body.instances, [
    { instanceId: 'instance-0', outcome: 'reset' },
    { instanceId: 'instance-1', outcome: 'rate-limited', message: /less than 60000 ms/ }
  ])
  t.equal((await apps[0]?.inject({ method: 'POST', url: FLEET }))?.statusCode, 401)
  const evil = { origin: 'https://evil.example.com' }
  const untrusted = await apps[0]?.inject({ url: FLEET, headers: evil })
  t.equal(untrusted?.statusCode, 403)
})

test('a member that left or died is not waited for; a hung one is reported missing', async (t) => {
  const { apps, namespace } = await buildFleet(t, 3)
  await apps[2]?.close()
  const redis = new Redis(REDIS_URL)
  t.after(() => { redis.disconnect() })
  await redis.set(`${namespace}:member:crashed`, '1', 'PX', 150)
  await redis.set(`${namespace}:member:hung`, '1', 'PX', 10_000)
  await new Promise((resolve) => setTimeout(resolve, 200))

  const response = await postReset(apps[0] as never, RIGHT)
  const fleetResponse = await apps[0]?.inject({ method: 'POST', url: FLEET, headers: RIGHT })

  t.equal(response.statusCode, 200, 'the local reset is unaffected')
  t.match(fleetResponse?.json(), {
    summary: { status: 'partial', expected: 3, answered: 2, missing: 1 },
    missing: ['hung'],
    instances: [{ instanceId: 'instance-0' }, { instanceId: 'instance-1' }]
  })
})

test('without a fleet, fleet requests get 400 and local ones work', async (t) => {
  const { buildApp } = await import('./helpers/app.js')
  const { app } = await buildApp(t)

  const response = await app.inject({ method: 'POST', url: FLEET, headers: RIGHT })

  t.equal(response.statusCode, 400)
  t.equal(response.json().code, 'POOL_RESET_FLEET_NOT_CONFIGURED')
  t.equal((await app.inject({ url: `${ROUTE}?scope=local` })).statusCode, 200)
  t.equal((await app.inject({ url: `${ROUTE}?scope=everything` })).statusCode, 400)
})
