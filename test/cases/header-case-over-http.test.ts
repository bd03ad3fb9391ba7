import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'tap'
import { ROUTE, TOKEN, buildApp } from '../helpers/app.js'

/** POSTs over a real socket; Node writes header names with the case given here. */
async function postRaw (port: number, headers: Record<string, string | string[]>): Promise<number> {
  return await new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method: 'POST', path: ROUTE, headers })
    outgoing.on('response', (response) => { response.resume(); resolve(response.statusCode ?? 0) })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

// Field case 7: header names are case-insensitive on the wire, not only through inject.
test('the token is accepted in any header case over HTTP', async (t) => {
  const { app } = await buildApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo

  for (const name of ['x-reset-token', 'X-Reset-Token', 'X-RESET-TOKEN']) {
    t.equal(await postRaw(port, { [name]: TOKEN }), 200, name)
  }
  t.equal(await postRaw(port, {}), 401, 'no token')
  t.equal(await postRaw(port, { 'X-Reset-Token': [TOKEN, TOKEN] }), 401,
    'the header sent twice arrives joined and is refused')
  t.equal(app.mysql.status().generation, 4)
})
