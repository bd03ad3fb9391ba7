import { test } from 'tap'
import { TOKEN, buildApp, postReset } from '../helpers/app.js'

// Field case 8: only the exact secret passes; nothing near it throws, and nothing touches the pool.
test('near misses of the token get 401, never 500', async (t) => {
  // The lockout after repeated wrong tokens has tests of its own.
  const { app } = await buildApp(t, { maxFailedAttempts: 100 })
  const nearMisses = [
    TOKEN.replace(/.$/, 'X'), TOKEN.slice(0, -1), `${TOKEN}0`, TOKEN.replace(/^./, 'é'),
    TOKEN.toUpperCase(), '', ' ', `${TOKEN}, ${TOKEN}`, 'ü'.repeat(TOKEN.length), '\u0000'
  ]

  for (const candidate of nearMisses) {
    const response = await postReset(app, { 'x-reset-token': candidate })
    t.equal(response.statusCode, 401, JSON.stringify(candidate))
  }
  t.match(app.mysql.status(), { generation: 1, lastReset: null })
  const exact = await postReset(app, { 'x-reset-token': TOKEN })
  t.equal(exact.statusCode, 200)
})

test('an unset or empty secret disables reset, even for an empty header', async (t) => {
  for (const resetToken of [undefined, '']) {
    const { app } = await buildApp(t, { resetToken })

    const attempts: Array<Record<string, string>> = [
      {}, { 'x-reset-token': '' }, { 'x-reset-token': TOKEN }
    ]
    for (const headers of attempts) {
      const response = await postReset(app, headers)
      t.equal(response.statusCode, 503, `secret ${JSON.stringify(resetToken)}`)
    }
    t.match(app.mysql.status(), { generation: 1, lastReset: null })
  }
})
