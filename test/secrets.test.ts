import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import type { RowDataPacket } from 'mysql2'
import { test } from 'tap'
import poolReset from '../plugin/index.js'
import { resolveConfig } from '../plugin/config.js'
import { TOKEN, buildApp, postReset } from './helpers/app.js'
import { makeCertificates } from './helpers/certificates.js'
import { startPrivateServer } from './helpers/private-server.js'
import type { TestContext } from './helpers/context.js'

const NEXT_TOKEN = 'next-reset-token-abcdefghijklmnopqrstuvwxyz'

async function tempFile (t: TestContext, content: string) {
  const directory = await mkdtemp(join(tmpdir(), 'pool-reset-secret-'))
  t.after(async () => { await rm(directory, { recursive: true, force: true }) })
  const path = join(directory, 'token')
  await writeFile(path, content)
  return path
}

test('during a rotation, the old and the new token both reset', async (t) => {
  const { app } = await buildApp(t, { resetToken: `${TOKEN},${NEXT_TOKEN}` })

  t.equal((await postReset(app, { 'x-reset-token': TOKEN })).statusCode, 200)
  t.equal((await postReset(app, { 'x-reset-token': NEXT_TOKEN })).statusCode, 200)
  t.equal((await postReset(app, { 'x-reset-token': `${TOKEN},${NEXT_TOKEN}` })).statusCode, 401)
  t.equal(app.mysql.status().generation, 3)
})

test('tokens can come from a file, as container secrets do', async (t) => {
  const path = await tempFile(t, `${TOKEN},${NEXT_TOKEN}\n`)

  const fromEnv = resolveConfig({}, { CONNECTION_POOL_RESET_TOKEN_FILE: path })
  t.same(fromEnv.resetTokens, [TOKEN, NEXT_TOKEN])
  t.same(resolveConfig({ resetTokenFile: path }, {}).resetTokens, [TOKEN, NEXT_TOKEN])
  const { app } = await buildApp(t, { resetToken: undefined, resetTokenFile: path })
  t.equal((await postReset(app, { 'x-reset-token': NEXT_TOKEN })).statusCode, 200)
})

test('token sources that conflict or do not hold up stop start-up', async (t) => {
  const shortPath = await tempFile(t, 'short-secret\n')
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ CONNECTION_POOL_RESET_TOKEN: TOKEN, CONNECTION_POOL_RESET_TOKEN_FILE: shortPath },
      /CONNECTION_POOL_RESET_TOKEN and CONNECTION_POOL_RESET_TOKEN_FILE are both set/],
    [{ CONNECTION_POOL_RESET_TOKEN_FILE: shortPath },
      /CONNECTION_POOL_RESET_TOKEN_FILE must hold .* at least 32 printable/],
    [{ CONNECTION_POOL_RESET_TOKEN_FILE: '/nonexistent/token' },
      /CONNECTION_POOL_RESET_TOKEN_FILE: cannot read the file it names \(ENOENT\)/],
    [{ CONNECTION_POOL_RESET_TOKEN_FILE: TOKEN }, /cannot read the file it names/],
    [{ CONNECTION_POOL_RESET_TOKEN: Array(9).fill(TOKEN).join(',') },
      /CONNECTION_POOL_RESET_TOKEN holds more than 8 tokens/],
    [{ CONNECTION_POOL_RESET_TOKEN: `${TOKEN}\t` }, /without whitespace/],
    [{ DB_SSL_CA: '/nonexistent/ca.pem' }, /DB_SSL_CA: cannot read the file it names/]
  ]

  for (const [env, message] of cases) {
    t.throws(() => resolveConfig({}, env), { code: 'POOL_RESET_INVALID_CONFIG', message })
    t.throws(() => resolveConfig({}, env), { message: /^((?!short-secret|test-reset-token).)*$/ },
      'the secret is never in the message')
  }
})

test('DB_SSL_CA makes TLS mandatory and verified', async (t) => {
  const certificates = await makeCertificates(t)
  const server = await startPrivateServer(t, [
    `--ssl-ca=${certificates.caPath}`, `--ssl-cert=${certificates.serverCertPath}`,
    `--ssl-key=${certificates.serverKeyPath}`
  ])
  const saved = process.env.DB_SSL_CA
  t.after(() => { process.env.DB_SSL_CA = saved })
  const openApp = async (port: number, caPath: string) => {
    process.env.DB_SSL_CA = caPath
    const app = Fastify()
    t.after(async () => { await app.close() })
    await app.register(poolReset, {
      ...server.connection, port, resetToken: TOKEN, connectTimeout: 2000
    })
    return app
  }

  const verified = await openApp(server.connection.port, certificates.caPath)
  const [rows] = await verified.mysql.query<RowDataPacket[]>(
    "SHOW SESSION STATUS LIKE 'Ssl_version'")
  t.match(rows[0]?.Value, /^TLSv1\.[23]$/, 'the session is encrypted')

  const stranger = await openApp(server.connection.port, certificates.strangerCaPath)
  await t.rejects(stranger.mysql.query('SELECT 1'), { code: 'HANDSHAKE_SSL_ERROR' },
    'a certificate from another CA is refused')

  const plaintextOnly = await openApp(3306, certificates.caPath)
  await t.rejects(plaintextOnly.mysql.query('SELECT 1'), { message: /secure connection|SSL|TLS/i },
    'a server without TLS is refused, never used in plaintext')
})
