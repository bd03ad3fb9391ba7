import autocannon from 'autocannon'

export interface HttpLoad {
  port: number
  path: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  durationS: number
  connections: number
}

export interface HttpLoadFigures {
  requests: number
  requestsPerSecond: number
  p99Ms: number
  non2xx: number
  errors: number
}

/** Sends requests to 127.0.0.1 only, for a bounded time, and returns what autocannon saw. */
export async function loadHttp (load: HttpLoad): Promise<HttpLoadFigures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${load.port}${load.path}`,
    method: load.method ?? 'GET',
    headers: load.headers ?? {},
    duration: load.durationS,
    connections: load.connections
  })

  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors
  }
}
