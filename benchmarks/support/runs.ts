/** Median, min and max of the measured runs. */
export interface Spread {
  median: number
  min: number
  max: number
}

/** Runs measured per figure, after one warm-up run that is thrown away. */
export const MEASURED_RUNS = 5

/** Runs `once` for a warm-up and then `runs` more times, returning the measured results. */
export async function measureAfterWarmUp<T> (
  once: (run: number) => Promise<T>,
  runs = MEASURED_RUNS
): Promise<T[]> {
  await once(0)

  const results: T[] = []
  for (let run = 1; run <= runs; run++) results.push(await once(run))
  return results
}

export function spreadOf (values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1
    ? Number(sorted[middle])
    : (Number(sorted[middle - 1]) + Number(sorted[middle])) / 2

  return { median, min: Number(sorted[0]), max: Number(sorted[sorted.length - 1]) }
}

/** The spread of one numeric field across results. */
export function spreadBy<T> (results: readonly T[], field: (result: T) => number): Spread {
  return spreadOf(results.map(field))
}
