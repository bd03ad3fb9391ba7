import { test } from 'tap'
import { TOKEN, buildApp, postReset } from './helpers/app.js'
import { startTcpProxy } from './helpers/tcp-proxy.js'

test('a reset over a stalled network fails at connectTimeout, the old pool kept', async (t) => {
  const proxy = await startTcpProxy(t)
  const { app } = await buildApp(t, { port: proxy.port, connectTimeout: 300 })
  await app.mysql.query('SELECT 1')
  proxy.stall()

  const response = await postReset(app, { 'x-reset-token': TOKEN })

  t.equal(response.statusCode, 503)
  t.match(response.json(), {
    code: 'POOL_RESET_FAILED',
    message: /did not answer a ping within 300 ms/
  },
    'the deadline, not a driver error, ended the attempt')
  t.equal(app.mysql.status().generation, 1)

  proxy.resume()
  t.equal((await app.mysql.reset()).generation, 2, 'once the network is back, a reset succeeds')
})
