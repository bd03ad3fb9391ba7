import Fastify from 'fastify'
import { test } from 'tap'
import poolReset from '../../plugin/index.js'
import { TOKEN } from '../helpers/app.js'
import { createPluginUser } from '../helpers/database.js'

// Field case 6: app.close() must finish, and leave nothing on the server, whatever the pool does.
for (const whileDraining of [false, true]) {
  const when = whileDraining ? 'while a reset drains' : 'after resets'
  test(`close ${when} finishes and leaves no connection`,
    async (t) => {
      const db = await createPluginUser(t)
      const app = Fastify()
      await app.register(poolReset, { ...db.connection, resetToken: TOKEN, drainTimeoutMs: 3000 })
      for (let round = 0; round < 3; round++) {
        await Promise.all([app.mysql.query('SELECT 1'), app.mysql.query('SELECT SLEEP(0.05)')])
        await app.mysql.reset()
      }
      const borrowed = whileDraining ? await app.mysql.getConnection() : undefined
      if (whileDraining) await app.mysql.reset()

      const closing = app.close()
      borrowed?.release()
      await closing

      t.equal(await db.settleAt(0, 1000), 0)
    })
}
