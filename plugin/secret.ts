import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Tells whether a candidate token equals one of the accepted tokens. */
export type TokenMatcher = (candidate: string) => boolean

/** How many tokens may be accepted at once: enough for a rotation with room to spare. */
export const MAX_ACCEPTED_TOKENS = 8

/**
 * Builds a matcher for the accepted tokens.
 *
 * Both sides are reduced to HMAC digests under a per-process random key before the comparison,
 * so `timingSafeEqual` always sees equal lengths: the time taken depends neither on how long the
 * secret is nor on how many leading characters a guess gets right. The candidate is compared
 * with exactly `MAX_ACCEPTED_TOKENS` digests on every call, the unused ones random, so the time
 * reveals neither which token matched nor how many are configured.
 */
export function createTokenMatcher (acceptedTokens: readonly string[]): TokenMatcher {
  if (acceptedTokens.length > MAX_ACCEPTED_TOKENS) {
    throw new RangeError(`at most ${MAX_ACCEPTED_TOKENS} tokens can be accepted at once`)
  }

  const key = randomBytes(32)
  const digestOf = (value: string): Buffer => createHmac('sha256', key).update(value).digest()
  const slots = Array.from({ length: MAX_ACCEPTED_TOKENS }, (_, index) => {
    const token = acceptedTokens[index]
    return token === undefined ? randomBytes(32) : digestOf(token)
  })

  return (candidate) => {
    const candidateDigest = digestOf(candidate)
    let matches = 0
    for (const slot of slots) {
      matches |= Number(timingSafeEqual(candidateDigest, slot))
    }
    return matches === 1
  }
}
