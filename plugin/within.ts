/**
 * Starts the deadline, then `work`, and settles as `work` does, or as `onTimeout()` does once
 * `timeoutMs` passes first. Started first, the deadline fires before any driver timer of the
 * same length that the work sets. The timer is cleared either way, so a deadline never holds
 * the process open after its work is done.
 */
export async function within<T, F> (
  work: () => Promise<T>,
  timeoutMs: number,
  onTimeout: () => F
): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) })
    .then(onTimeout)

  try {
    return await Promise.race([work(), expired])
  } finally {
    clearTimeout(timer)
  }
}
