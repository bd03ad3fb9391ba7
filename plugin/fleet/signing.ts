import { createHmac, timingSafeEqual } from 'node:crypto'

/** A signed message on the fleet's channels. */
export interface SignedMessage {
  signature: string
}

/**
 * Signs and checks fleet messages with the reset tokens, so write access to Redis alone cannot
 * command the fleet. Messages are signed with the newest token (the last one listed, as during
 * a rotation) and accepted under any configured token.
 */
export interface MessageSigner {
  sign<T extends object> (message: T): T & SignedMessage
  verify (message: unknown): boolean
}

export function createMessageSigner (tokens: readonly string[]): MessageSigner {
  const keys = tokens.map((token) => Buffer.from(token))
  const signingKey = keys[keys.length - 1] as Buffer
  const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body).digest()

  return {
    sign (message) {
      return { ...message, signature: mac(signingKey, JSON.stringify(message)).toString('hex') }
    },
    verify (message) {
      if (typeof message !== 'object' || message === null) return false
      const { signature, ...body } = message as Partial<SignedMessage>
      const given = Buffer.from(typeof signature === 'string' ? signature : '', 'hex')
      const serialised = JSON.stringify(body)

      let valid = 0
      for (const key of keys) {
        const expected = mac(key, serialised)
        valid |= Number(given.length === expected.length && timingSafeEqual(given, expected))
      }
      return valid === 1
    }
  }
}

/**
 * Refuses commands outside a freshness window and commands seen before, so a captured command
 * cannot be replayed. Remembers ids only as long as they could still be fresh.
 */
export function createReplayGuard (maxAgeMs: number, now: () => number = Date.now) {
  const seen = new Map<string, number>()

  return (id: string, issuedAt: number): boolean => {
    const at = now()
    for (const [seenId, forgetAt] of seen) {
      if (forgetAt <= at) seen.delete(seenId)
    }
    if (Math.abs(at - issuedAt) > maxAgeMs || seen.has(id)) return false

    seen.set(id, issuedAt + maxAgeMs + 1)
    return true
  }
}
