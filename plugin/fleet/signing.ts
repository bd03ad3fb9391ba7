import { createHmac, timingSafeEqual } from 'node:crypto'

/** A signed message on the fleet's channels: one signature per token of the sender. */
export interface SignedMessage {
  signatures: string[]
}

/**
 * Signs and checks fleet messages with the reset tokens, so write access to Redis alone cannot
 * command the fleet. A message carries a signature under each of the sender's tokens and is
 * accepted when one of them verifies under any of the receiver's, so instances keep hearing each
 * other at every step of a rolling token rotation.
 */
export interface MessageSigner {
  sign<T extends object> (message: T): T & SignedMessage
  verify (message: unknown): boolean
}

export function createMessageSigner (tokens: readonly string[]): MessageSigner {
  const keys = tokens.map((token) => Buffer.from(token))
  const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body).digest()

  return {
    sign (message) {
      const body = JSON.stringify(message)
      return { ...message, signatures: keys.map((key) => mac(key, body).toString('hex')) }
    },
    verify (message) {
      if (typeof message !== 'object' || message === null) return false
      const { signatures, ...body } = message as Partial<SignedMessage>
      if (!Array.isArray(signatures)) return false
      const serialised = JSON.stringify(body)
      const expected = keys.map((key) => mac(key, serialised))

      let valid = 0
      for (const signature of signatures.slice(0, keys.length + 1)) {
        const given = Buffer.from(String(signature), 'hex')
        for (const candidate of expected) {
          valid |= Number(given.length === candidate.length && timingSafeEqual(given, candidate))
        }
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
