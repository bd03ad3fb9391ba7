import Fastify, { type FastifyInstance } from 'fastify'
import tap, { test } from 'tap'
import poolReset from '../../plugin/index.js'
import { ROUTE, TOKEN } from '../helpers/app.js'
import { createPluginUser } from '../helpers/database.js'

const HOSTILE = { origin: 'https://evil.example.com' }

async function expectGuarded (
  t: Pick<typeof tap, 'equal'>,
  app: FastifyInstance,
  path: string
): Promise<void> {
  t.equal((await app.inject({ url: path, headers: HOSTILE })).statusCode, 403, `GET ${path}`)
  t.equal((await app.inject({ method: 'POST', url: path })).statusCode, 401, `POST ${path}`)
}

// Field case 9: the operator routes' hooks must never run for the service's own routes.
test('service routes before and after the plugin are untouched', async (t) => {
  const db = await createPluginUser(t)
  const app = Fastify()
  t.after(async () => { await app.close() })
  app.get('/health', async () => ({ ok: true }))
  await app.register(poolReset, { ...db.connection, resetToken: TOKEN })
  app.get('/api/other', async () => ({ ok: true }))
  app.post('/api/other', async () => ({ ok: true }))

  for (const url of ['/health', '/api/other']) {
    const response = await app.inject({ url, headers: HOSTILE })
    t.equal(response.statusCode, 200, url)
    t.equal(response.headers['cache-control'], undefined, `${url} is not marked no-store`)
  }
  const posted = await app.inject({ method: 'POST', url: '/api/other', headers: HOSTILE })
  t.equal(posted.statusCode, 200)
  await expectGuarded(t, app, ROUTE)
})

test('registered in a prefixed child context, the routes stay guarded', async (t) => {
  const db = await createPluginUser(t)
  const app = Fastify()
  t.after(async () => { await app.close() })
  await app.register(async (child) => {
    await child.register(poolReset, { ...db.connection, resetToken: TOKEN })
    child.get('/inside', async () => ({ ok: true }))
  }, { prefix: '/ops' })
  app.get('/outside', async () => ({ ok: true }))

  await expectGuarded(t, app, `/ops${ROUTE}`)
  t.equal((await app.inject({ url: '/ops/inside', headers: HOSTILE })).statusCode, 200)
  t.equal((await app.inject({ url: '/outside', headers: HOSTILE })).statusCode, 200)
})

test('a prefix given to register itself moves the routes and keeps them guarded', async (t) => {
  const db = await createPluginUser(t)
  const app = Fastify()
  t.after(async () => { await app.close() })
  await app.register(poolReset, { ...db.connection, resetToken: TOKEN, prefix: '/admin' })
  await app.ready()

  await expectGuarded(t, app, `/admin${ROUTE}`)
  t.equal((await app.inject({ url: ROUTE })).statusCode, 404, 'nothing is left at the bare path')
})
