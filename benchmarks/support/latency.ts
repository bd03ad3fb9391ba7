/** Latency percentiles in milliseconds; NaN when there were no calls to measure. */
export interface LatencyFigures {
  p50: number
  p99: number
  max: number
}

export function latencyOf (durationsMs: readonly number[]): LatencyFigures {
  const sorted = Float64Array.from(durationsMs).sort()

  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1)
  }
}

/** Nearest-rank percentile of an ascending array. */
function percentile (sorted: Float64Array, fraction: number): number {
  const rank = Math.ceil(fraction * sorted.length)
  return Number(sorted[rank - 1])
}
