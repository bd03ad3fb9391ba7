import { test } from 'tap'
import { createFailedAttemptLimiter } from '../plugin/failed-attempts.js'

test('locks an address out after the allowed failures, until its window ends', async (t) => {
  let now = 1_000
  const limiter = createFailedAttemptLimiter(3, 500, () => now)

  for (let failure = 0; failure < 2; failure++) limiter.recordFailure('10.0.0.1')
  t.equal(limiter.lockedForMs('10.0.0.1'), 0, 'below the limit')
  limiter.recordFailure('10.0.0.1')
  t.equal(limiter.lockedForMs('10.0.0.1'), 500, 'locked for the rest of the window')
  t.equal(limiter.lockedForMs('10.0.0.2'), 0, 'other addresses are not affected')

  now += 499
  t.equal(limiter.lockedForMs('10.0.0.1'), 1)
  now += 1
  t.equal(limiter.lockedForMs('10.0.0.1'), 0, 'a new window starts clean')
})

test('tracks a bounded number of addresses', async (t) => {
  let now = 0
  const limiter = createFailedAttemptLimiter(1, 1_000, () => now)

  limiter.recordFailure('first')
  now = 10
  for (let index = 1; index < 10_000; index++) limiter.recordFailure(`address-${index}`)
  t.equal(limiter.lockedForMs('first'), 990, 'full, nothing forgotten yet')
  limiter.recordFailure('one-too-many')

  t.equal(limiter.lockedForMs('first'), 0, 'the oldest address was forgotten')
  t.equal(limiter.lockedForMs('one-too-many'), 1_000)
})

test('makes room by sweeping expired windows before forgetting live ones', async (t) => {
  let now = 0
  const limiter = createFailedAttemptLimiter(1, 1_000, () => now)
  for (let index = 0; index < 5_000; index++) limiter.recordFailure(`early-${index}`)
  now = 500
  for (let index = 0; index < 5_000; index++) limiter.recordFailure(`late-${index}`)

  now = 1_200
  limiter.recordFailure('newcomer')

  t.equal(limiter.lockedForMs('late-0'), 300, 'the oldest live window was kept')
  t.equal(limiter.lockedForMs('newcomer'), 1_000)
})
