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
