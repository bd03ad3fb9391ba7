import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { test } from 'tap'
import { createMessageSigner } from '../plugin/fleet/signing.js'
import { ROUTE, TOKEN, buildApp, captureLogs, postReset } from './helpers/app.js'
import { REDIS_URL, buildFleet, uniqueNamespace } from './helpers/fleet.js'
import { startPrivateRedis } from './helpers/private-redis.js'
import type { TestContext } from './helpers/context.js'

const RIGHT = { 'x-reset-token': TOKEN }
const FLEET = `${ROUTE}?scope=fleet`

async function listen (t: TestContext, channel: string) {
  const subscriber = new Redis(REDIS_URL)
  t.after(() => { subscriber.disconnect() })
  const messages: string[] = []
  subscriber.on('message', (_channel: string, message: string) => messages.push(message))
  await subscriber.subscribe(channel)
  return messages
}

test('forged, stale and replayed commands are ignored', async (t) => {
  const { lines, logger } = captureLogs('warn')
  const namespace = uniqueNamespace()
  const { app } = await buildApp(t, {
    fleet: { redis: REDIS_URL, namespace, heartbeatIntervalMs: 200 }, instanceId: 'member'
  }, { logger })
  const publisher = new Redis(REDIS_URL)
  t.after(() => { publisher.disconnect() })
  const seen = await listen(t, `${namespace}:commands`)
  const publish = async (message: object): Promise<void> => {
    await publisher.publish(`${namespace}:commands`, JSON.stringify(message))
  }
  const command = {
    kind: 'command', id: randomUUID(), action: 'reset', issuedAt: Date.now(), from: 'attacker'
  }
  const replies = await listen(t, `${namespace}:replies`)

  await publish({ ...command, signatures: ['ab'.repeat(32)] })
  await publish(createMessageSigner(['x'.repeat(40)]).sign(command))
  await publisher.publish(`${namespace}:commands`, 'not json')
  await publish(createMessageSigner([TOKEN]).sign({ ...command, issuedAt: Date.now() - 60_000 }))
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.equal(app.mysql.status().generation, 1, 'nothing reset the pool')

  t.equal((await app.inject({ method: 'POST', url: FLEET, headers: RIGHT })).statusCode, 200)
  t.equal(app.mysql.status().generation, 2)
  await publisher.publish(`${namespace}:commands`, seen[seen.length - 1] as string)
  await new Promise((resolve) => setTimeout(resolve, 200))

  t.equal(app.mysql.status().generation, 2, 'the replayed command was ignored')
  await publisher.publish(`${namespace}:commands`, replies[replies.length - 1] as string)
  await publish(createMessageSigner([TOKEN]).sign({ ...command, id: randomUUID(), action: 'drop' }))
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.equal(app.mysql.status().generation, 2,
    'a signed reply is not a command, nor is an unknown action')
  const warnings = lines.join('')
  t.match(warnings, 'fleet: ignored a message with a bad signature')
  t.match(warnings, 'fleet: ignored a stale or replayed command')
})

test('forged replies do not count as answers', async (t) => {
  const { apps, namespace } = await buildFleet(t, 1)
  const publisher = new Redis(REDIS_URL)
  t.after(() => { publisher.disconnect() })
  const commands = await listen(t, `${namespace}:commands`)
  await publisher.set(`${namespace}:member:ghost`, '1', 'PX', 10_000)

  const answering = apps[0]?.inject({ method: 'POST', url: FLEET, headers: RIGHT })
  while (commands.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
  const { id } = JSON.parse(commands[0] as string) as { id: string }
  const ghostAnswer = {
    instanceId: 'ghost', outcome: 'reset', generationBefore: 1, generationAfter: 2, durationMs: 1
  }
  await publisher.publish(`${namespace}:replies`, JSON.stringify({
    commandId: id, issuedAt: Date.now(), answer: ghostAnswer, signatures: ['00'.repeat(32)]
  }))

  t.match((await answering)?.json(), { summary: { status: 'partial' }, missing: ['ghost'] })
})

test('with Redis gone, fleet requests get 503 and everything local keeps working', async (t) => {
  const redis = await startPrivateRedis(t)
  const { app } = await buildApp(t, {
    fleet: { redis: redis.url, namespace: uniqueNamespace(), heartbeatIntervalMs: 100 },
    fleetTimeoutMs: 500,
    instanceId: 'alone'
  })
  t.equal((await app.inject({ url: FLEET })).statusCode, 200, 'the fleet answers while Redis is up')

  await redis.stop()
  await new Promise((resolve) => setTimeout(resolve, 100))

  const fleetReset = await app.inject({ method: 'POST', url: FLEET, headers: RIGHT })
  t.equal(fleetReset.statusCode, 503)
  t.equal(fleetReset.json().code, 'POOL_RESET_FLEET_UNAVAILABLE')
  t.equal((await app.inject({ url: FLEET })).statusCode, 503)
  t.equal((await postReset(app, RIGHT)).statusCode, 200, 'a local reset works')
  t.equal((await app.inject({ url: ROUTE })).statusCode, 200, 'local status works')
  t.same((await app.mysql.query('SELECT 1 AS one'))[0], [{ one: 1 }])
})

test('a service whose Redis is down at start-up still starts', async (t) => {
  const redis = await startPrivateRedis(t)
  await redis.stop()
  const { lines, logger } = captureLogs('warn')

  const { app } = await buildApp(t, {
    fleet: { redis: redis.url, namespace: uniqueNamespace() }, fleetTimeoutMs: 200
  }, { logger })

  t.match(lines.join(''), 'fleet: redis is not reachable yet')
  t.equal((await app.inject({ url: ROUTE })).statusCode, 200)
  t.equal((await app.inject({ url: FLEET })).statusCode, 503)
})

test('a service can pass its own ioredis client, which stays open after close', async (t) => {
  const client = new Redis(REDIS_URL)
  t.after(() => { client.disconnect() })
  const { app } = await buildApp(t, {
    fleet: { redis: client, namespace: uniqueNamespace() }, instanceId: 'own-client'
  })

  const response = await app.inject({ method: 'POST', url: FLEET, headers: RIGHT })
  await app.close()

  t.match(response.json(), { summary: { status: 'complete', answered: 1 } })
  t.equal(await client.ping(), 'PONG')
})

test('a member whose reset fails says so, with the reason', async (t) => {
  const { apps: [member], dbs: [db] } = await buildFleet(t, 1)
  if (member === undefined || db === undefined) throw new Error('the fleet did not start')
  await db.admin.query('ALTER USER ?@? ACCOUNT LOCK', [db.connection.user, '%'])
  t.after(async () => {
    await db.admin.query('ALTER USER ?@? ACCOUNT UNLOCK', [db.connection.user, '%'])
  })

  const response = await member.inject({ method: 'POST', url: FLEET, headers: RIGHT })

  t.match(response.json(), {
    instances: [{ instanceId: 'instance-0', outcome: 'failed', message: /locked/ }]
  })
})

test('a Redis user without the rights the fleet needs gets 503, never a 500', async (t) => {
  const redis = await startPrivateRedis(t)
  const admin = new Redis(redis.url)
  t.after(() => { admin.disconnect() })
  await admin.call('ACL', 'SETUSER', 'no-scan', 'on', 'nopass', '~*', '&*', '+@all', '-scan')
  await admin.call('ACL', 'SETUSER', 'no-publish', 'on', 'nopass', '~*', '&*', '+@all', '-publish')
  const namespace = uniqueNamespace()
  const { lines, logger } = captureLogs('warn')
  const asUser = (user: string): string => redis.url.replace('redis://', `redis://${user}@`)
  const { app: cannotScan } = await buildApp(t, {
    fleet: { redis: asUser('no-scan'), namespace }, instanceId: 'cannot-scan'
  })
  const { app: cannotPublish } = await buildApp(t, {
    fleet: { redis: asUser('no-publish'), namespace }, instanceId: 'cannot-publish'
  }, { logger })

  const scanRefused = await cannotScan.inject({ url: FLEET })
  const publishRefused = await cannotPublish.inject({ url: FLEET })
  const command = {
    kind: 'command', id: randomUUID(), action: 'status', issuedAt: Date.now(), from: 'ops'
  }
  await admin.publish(`${namespace}:commands`,
    JSON.stringify(createMessageSigner([TOKEN]).sign(command)))
  await new Promise((resolve) => setTimeout(resolve, 200))

  const unavailable = { statusCode: 503, code: 'POOL_RESET_FLEET_UNAVAILABLE', message: /NOPERM/ }
  t.match(scanRefused.json(), unavailable)
  t.match(publishRefused.json(), unavailable)
  t.match(lines.join(''), 'fleet: could not publish an answer')
})
