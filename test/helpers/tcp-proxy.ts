import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { SERVER } from './database.js'
import type { TestContext } from './context.js'

/** A TCP proxy to the test server on 127.0.0.1, able to play a stalled network. */
export interface TcpProxy {
  port: number
  /**
   * Stops forwarding what clients send, on open and new connections alike. The server's
   * greeting still reaches new clients, so the driver sees a handshake that never completes.
   */
  stall (): void
  /** Forwards what was held back and everything after it. */
  resume (): void
  /**
   * While on, connections accepted get nothing from the server, ever: the driver waits for a
   * greeting that never comes. Connections accepted after it is turned off work normally.
   */
  freezeNewConnections (on: boolean): void
  /** How many connections have been frozen so far. */
  frozenCount (): number
}

export async function startTcpProxy (t: TestContext): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  const held: Array<() => void> = []
  let stalled = false
  let freezing = false
  let frozen = 0

  const server = createServer((client) => {
    if (freezing) {
      frozen++
      sockets.add(client)
      client.on('error', () => {})
      return
    }
    const upstream = connect(SERVER.port, SERVER.host)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => { client.destroy(); upstream.destroy() })
      socket.on('close', () => { sockets.delete(socket); client.destroy(); upstream.destroy() })
    }
    upstream.on('data', (chunk) => client.write(chunk))
    client.on('data', (chunk) => {
      const forward = (): void => { upstream.write(chunk) }
      if (stalled) held.push(forward)
      else forward()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  t.after(async () => {
    sockets.forEach((socket) => socket.destroy())
    await new Promise((resolve) => server.close(resolve))
  })

  return {
    port: (server.address() as AddressInfo).port,
    stall: () => { stalled = true },
    freezeNewConnections: (on) => { freezing = on },
    frozenCount: () => frozen,
    resume: () => {
      stalled = false
      held.splice(0).forEach((forward) => { forward() })
    }
  }
}
