import { connect, type AddressInfo } from 'node:net'
import { test } from 'tap'
import { ROUTE, TOKEN, buildApp, postReset } from './helpers/app.js'

const WRONG = { 'x-reset-token': 'w'.repeat(TOKEN.length) }
const RIGHT = { 'x-reset-token': TOKEN }

test('an address that sent too many wrong tokens gets 429 until its window ends', async (t) => {
  const { app } = await buildApp(t, { maxFailedAttempts: 3, failedAttemptWindowMs: 400 })

  for (let attempt = 0; attempt < 3; attempt++) {
    t.equal((await postReset(app, WRONG)).statusCode, 401)
  }
  const locked = await postReset(app, RIGHT)

  t.equal(locked.statusCode, 429, 'even the right token is refused')
  t.equal(locked.json().code, 'POOL_RESET_TOO_MANY_FAILED_ATTEMPTS')
  t.equal(locked.headers['retry-after'], '1')
  t.equal(app.mysql.status().generation, 1, 'the pool was not touched')
  const other = await app.inject({
    method: 'POST', url: ROUTE, headers: RIGHT, remoteAddress: '10.0.0.9'
  })
  t.equal(other.statusCode, 200, 'another address is not affected')

  await new Promise((resolve) => setTimeout(resolve, 450))
  t.equal((await postReset(app, RIGHT)).statusCode, 200, 'after the window, the token works')
})

test('the client address honours trustProxy and nothing else', async (t) => {
  const spoofed = { ...WRONG, 'x-forwarded-for': '203.0.113.7' }
  const direct = await buildApp(t, { maxFailedAttempts: 1 })
  await postReset(direct.app, spoofed)
  const stillLocked = await postReset(direct.app, { ...RIGHT, 'x-forwarded-for': '198.51.100.1' })
  t.equal(stillLocked.statusCode, 429, 'without trustProxy, X-Forwarded-For changes nothing')

  const proxied = await buildApp(t, { maxFailedAttempts: 1 }, { trustProxy: true })
  await postReset(proxied.app, spoofed)
  const lockedClient = await postReset(proxied.app, { ...RIGHT, 'x-forwarded-for': '203.0.113.7' })
  const otherClient = await postReset(proxied.app, { ...RIGHT, 'x-forwarded-for': '198.51.100.1' })
  t.equal(lockedClient.statusCode, 429, 'behind a trusted proxy, the forwarded client is locked')
  t.equal(otherClient.statusCode, 200)
})

test('a reset storm is refused with the last result, the pool untouched', async (t) => {
  const { app } = await buildApp(t, { minResetIntervalMs: 10_000 })
  const [first, joined] = await Promise.all([postReset(app, RIGHT), postReset(app, RIGHT)])
  t.equal(first.statusCode, 200)
  t.same(joined.json(), first.json(), 'a POST during the reset shares it')

  const storm = await postReset(app, RIGHT)

  t.equal(storm.statusCode, 429)
  t.match(storm.json(), { code: 'POOL_RESET_TOO_SOON', lastReset: first.json() })
  t.ok(Number(storm.headers['retry-after']) >= 9 && Number(storm.headers['retry-after']) <= 10)
  t.equal(app.mysql.status().generation, 2)
  t.equal((await app.mysql.reset()).generation, 3, 'the service itself may still reset')
})

test('unusual methods get 405 with Allow, OPTIONS is left to CORS plugins', async (t) => {
  const { app } = await buildApp(t)

  for (const method of ['PUT', 'DELETE', 'PATCH', 'TRACE', 'QUERY'] as const) {
    const response = await app.inject({ method, url: ROUTE, headers: RIGHT })
    t.equal(response.statusCode, 405, method)
    t.equal(response.headers.allow, 'GET, HEAD, POST')
    t.equal(response.json().code, 'POOL_RESET_METHOD_NOT_ALLOWED')
  }
  t.equal((await app.inject({ method: 'HEAD', url: ROUTE })).statusCode, 200)
  t.equal((await app.inject({ method: 'OPTIONS', url: ROUTE })).statusCode, 404)
  t.equal(app.mysql.status().generation, 1)
})

test('hostile headers never yield a 500 and never touch the pool', async (t) => {
  const { app } = await buildApp(t, { trustedOrigins: ['https://ops.example.com'] })
  const huge = 'a'.repeat(9 * 1024)
  const cases: Array<[Record<string, string>, number]> = [
    [{ 'x-reset-token': huge }, 401],
    [{ origin: `https://${huge}.example.com`, ...RIGHT }, 403],
    [{ referer: `https://ops.example.com.${huge}/`, ...RIGHT }, 403],
    [{ origin: 'https://ops.example.com\u0000', ...RIGHT }, 403],
    [{ origin: 'https://xn--ops-9ka.example.com', ...RIGHT }, 403],
    [{ origin: ' https://ops.example.com', 'x-reset-token': 'é'.repeat(40) }, 403]
  ]

  for (const [headers, statusCode] of cases) {
    const response = await postReset(app, headers)
    t.equal(response.statusCode, statusCode, JSON.stringify(headers).slice(0, 60))
  }
  t.equal(app.mysql.status().generation, 1)
})

test('raw bytes on the wire: invalid UTF-8, control characters, oversized headers', async (t) => {
  const { app } = await buildApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const send = async (headerLines: Buffer): Promise<number> => await rawStatus(port, headerLines)

  const invalidUtf8 = Buffer.concat([
    Buffer.from('x-reset-token: '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('a'.repeat(40))
  ])
  t.equal(await send(invalidUtf8), 401, 'invalid UTF-8 in the token')
  t.equal(await send(Buffer.from('x-reset-token: abc\u0001def')), 400, 'a control character')
  t.equal(await send(Buffer.from(`x-reset-token: ${'a'.repeat(20 * 1024)}`)), 431, 'over 16 KiB')
  t.equal(app.mysql.status().generation, 1)
})

/** Sends a POST with the given header bytes over a raw socket and returns the status code. */
async function rawStatus (port: number, headerLines: Buffer): Promise<number> {
  const socket = connect(port, '127.0.0.1')
  const head = Buffer.from(`POST ${ROUTE} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n`)
  socket.end(Buffer.concat([head, headerLines, Buffer.from('\r\n\r\n')]))
  let answer = ''
  for await (const chunk of socket) answer += String(chunk)
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])
}
