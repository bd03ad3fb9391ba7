import { test } from 'tap'
import { createTokenMatcher } from '../plugin/secret.js'

const TOKEN = 'a'.repeat(16) + 'ü'.repeat(8) + '0123456789'

test('accepts exactly the configured token', async (t) => {
  const matches = createTokenMatcher([TOKEN])

  t.equal(matches(TOKEN), true)
  t.equal(matches(TOKEN.slice(0, -1)), false, 'a prefix is refused')
  t.equal(matches(TOKEN + 'x'), false, 'a longer value is refused')
  t.equal(matches(TOKEN.toUpperCase()), false, 'comparison is case-sensitive')
  t.equal(matches(''), false, 'an empty value is refused')
})

test('compares bytes, not characters', async (t) => {
  const matches = createTokenMatcher([TOKEN])
  const asLatin1 = Buffer.from(TOKEN, 'utf8').toString('latin1')

  t.equal(matches(asLatin1), false, 'the same bytes read as latin1 are another token')
  t.equal(matches(TOKEN.normalize('NFD')), TOKEN === TOKEN.normalize('NFD'))
  t.equal(matches('\u0000'.repeat(TOKEN.length)), false)
})

test('accepts any of several tokens during a rotation', async (t) => {
  const next = 'n'.repeat(40)
  const matches = createTokenMatcher([TOKEN, next])

  t.equal(matches(TOKEN), true)
  t.equal(matches(next), true)
  t.equal(matches('x'.repeat(40)), false)
})

test('accepts nothing when no token is configured', async (t) => {
  const matches = createTokenMatcher([])

  t.equal(matches(''), false)
  t.equal(matches(TOKEN), false)
})

test('refuses more tokens than it compares on every call', async (t) => {
  const tokens = Array.from({ length: 9 }, (_, index) => `${index}`.repeat(32))

  t.throws(() => createTokenMatcher(tokens), RangeError)
  t.equal(createTokenMatcher(tokens.slice(0, 8))(tokens[7] ?? ''), true, 'eight still work')
})

test('fleet messages verify under any configured token and fail when altered', async (t) => {
  const { createMessageSigner } = await import('../plugin/fleet/signing.js')
  const old = 'o'.repeat(40)
  const next = 'n'.repeat(40)
  const signed = createMessageSigner([old, next]).sign({ id: 'c1', action: 'reset' })

  t.equal(createMessageSigner([next]).verify(signed), true, 'a member already on the new token')
  t.equal(createMessageSigner([old]).verify(signed), true, 'a member still on the old token')
  t.equal(createMessageSigner([old, next]).verify(signed), true)
  t.equal(createMessageSigner(['x'.repeat(40)]).verify(signed), false, 'another secret')
  t.equal(createMessageSigner([next]).verify({ ...signed, action: 'status' }), false, 'altered')
  t.equal(createMessageSigner([next]).verify({ ...signed, signatures: 'ab' }), false)
  t.equal(createMessageSigner([next]).verify({ ...signed, signatures: [42] }), false)
  t.equal(createMessageSigner([next]).verify(null), false)
  t.equal(createMessageSigner([next]).verify('text'), false)
})

test('the replay guard refuses repeats and stale or future commands', async (t) => {
  const { createReplayGuard } = await import('../plugin/fleet/signing.js')
  let now = 100_000
  const isFresh = createReplayGuard(1_000, () => now)

  t.equal(isFresh('a', now), true)
  t.equal(isFresh('a', now), false, 'a repeat')
  t.equal(isFresh('b', now - 1_001), false, 'too old')
  t.equal(isFresh('c', now + 1_001), false, 'from the future')
  now += 2_000
  t.equal(isFresh('a', now - 10), true, 'a forgotten id that is fresh again is new')
})
