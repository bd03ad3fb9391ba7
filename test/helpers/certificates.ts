import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TestContext } from './context.js'

/** PEM files of a throwaway CA and of a server certificate it signed for 127.0.0.1. */
export interface TestCertificates {
  caPath: string
  serverCertPath: string
  serverKeyPath: string
  /** A CA that signed nothing here, to prove verification happens. */
  strangerCaPath: string
}

const openssl = async (...args: string[]): Promise<unknown> =>
  await promisify(execFile)('openssl', args)

export async function makeCertificates (t: TestContext): Promise<TestCertificates> {
  const directory = await mkdtemp(join(tmpdir(), 'pool-reset-tls-'))
  t.after(async () => { await rm(directory, { recursive: true, force: true }) })
  const path = (name: string): string => join(directory, name)

  for (const ca of ['ca', 'stranger-ca']) {
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-keyout', path(`${ca}.key`), '-out', path(`${ca}.pem`), '-subj', `/CN=${ca}`)
  }
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('server.key'),
    '-out', path('server.csr'), '-subj', '/CN=127.0.0.1')
  await writeFile(path('server.ext'), 'subjectAltName=IP:127.0.0.1\n')
  await openssl('x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'),
    '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', path('server.ext'),
    '-out', path('server.pem'))

  return {
    caPath: path('ca.pem'),
    serverCertPath: path('server.pem'),
    serverKeyPath: path('server.key'),
    strangerCaPath: path('stranger-ca.pem')
  }
}
