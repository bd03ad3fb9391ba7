import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Tells whether a candidate token equals one of the accepted tokens. */
export type TokenMatcher = (candidate: string) => boolean

/**
 * Builds a matcher for the accepted tokens.
 *
 * Both sides are reduced to HMAC digests under a per-process random key before the comparison,
 * so `timingSafeEqual` always sees equal lengths: the time taken depends neither on how long the
 * secret is nor on how many leading characters a guess gets right. Every accepted token is
 * compared on every call, so the time does not reveal which one matched either.
 */
export function createTokenMatcher (acceptedTokens: readonly string[]): TokenMatcher {
  const key = randomBytes(32)
  const digestOf = (value: string): Buffer => createHmac('sha256', key).update(value).digest()
  const acceptedDigests = acceptedTokens.map(digestOf)

  return (candidate) => {
    const candidateDigest = digestOf(candidate)
    let matches = 0
    for (const accepted of acceptedDigests) {
      matches |= Number(timingSafeEqual(candidateDigest, accepted))
    }
    return matches === 1
  }
}
