/** Counts wrong tokens per client address and locks an address out once it sent too many. */
export interface FailedAttemptLimiter {
  /** Milliseconds until the address may try again; 0 when it is not locked out. */
  lockedForMs (address: string): number
  recordFailure (address: string): void
}

interface Window {
  failures: number
  endsAt: number
}

// Bounds memory under a flood of spoofed or rotating addresses.
const MAX_TRACKED_ADDRESSES = 10_000

/**
 * A fixed window per address, opened by its first failure: after `maxFailures` failures the
 * address is locked out until the window ends, whatever it sends.
 */
export function createFailedAttemptLimiter (
  maxFailures: number,
  windowMs: number,
  now: () => number = Date.now
): FailedAttemptLimiter {
  const windows = new Map<string, Window>()

  const currentWindow = (address: string): Window | undefined => {
    const window = windows.get(address)
    if (window !== undefined && window.endsAt <= now()) {
      windows.delete(address)
      return undefined
    }
    return window
  }

  return {
    lockedForMs (address) {
      const window = currentWindow(address)
      return window !== undefined && window.failures >= maxFailures ? window.endsAt - now() : 0
    },
    recordFailure (address) {
      const window = currentWindow(address)
      if (window !== undefined) {
        window.failures++
        return
      }
      if (windows.size >= MAX_TRACKED_ADDRESSES) forgetOldest(windows, now())
      windows.set(address, { failures: 1, endsAt: now() + windowMs })
    }
  }
}

/** Drops expired windows, or the oldest one when none has expired. */
function forgetOldest (windows: Map<string, Window>, at: number): void {
  for (const [address, window] of windows) {
    if (window.endsAt <= at) windows.delete(address)
  }
  if (windows.size >= MAX_TRACKED_ADDRESSES) {
    const [oldest] = windows.keys()
    windows.delete(oldest as string)
  }
}
