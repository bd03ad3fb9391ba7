import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

export type AuditOutcome = 'reset' | 'status' | 'denied' | 'rate-limited' | 'failed'

interface AuditTrail {
  generationBefore: number
  errorCode?: string
}

const trails = new WeakMap<FastifyRequest, AuditTrail>()
const RATE_LIMIT_CODES = new Set(['POOL_RESET_TOO_MANY_FAILED_ATTEMPTS', 'POOL_RESET_TOO_SOON'])
// A disabled reset is a refusal by configuration, not a failure of the pool.
const DENIAL_CODES_IN_5XX = new Set(['POOL_RESET_DISABLED'])

/**
 * Route hooks that write one audit line per call of an operator route, through `request.log`:
 * what was asked, the outcome, who asked, and the generation before and after. Never headers,
 * so never the token.
 */
export function auditHooks (currentGeneration: () => number) {
  return {
    onRequest: async (request: FastifyRequest) => {
      trails.set(request, { generationBefore: currentGeneration() })
    },
    onError: async (request: FastifyRequest, _reply: FastifyReply, error: FastifyError) => {
      trailOf(request).errorCode = error.code
    },
    onResponse: async (request: FastifyRequest, reply: FastifyReply) => {
      const trail = trailOf(request)
      const outcome = outcomeOf(request.method, reply.statusCode, trail.errorCode)
      logAudit(request, outcome, {
        reason: trail.errorCode,
        generationBefore: trail.generationBefore,
        generationAfter: currentGeneration(),
        durationMs: Math.round(reply.elapsedTime)
      })
    }
  }
}

// The audit's onRequest hook runs first on every operator route, so the trail is always there.
const trailOf = (request: FastifyRequest): AuditTrail => trails.get(request) as AuditTrail

/** Logs a denial that ends the request before the route's own hooks can, such as a 404. */
export function noteDenial (request: FastifyRequest, reason: string): void {
  logAudit(request, 'denied', { reason })
}

function logAudit (request: FastifyRequest, outcome: AuditOutcome, details: object): void {
  const audit = {
    route: `${request.method} ${String(request.routeOptions.url)}`,
    outcome,
    clientAddress: request.ip,
    userAgent: request.headers['user-agent'],
    ...details
  }
  if (outcome === 'status') request.log.info({ audit }, 'pool status read')
  else request.log.warn({ audit }, `pool reset route: ${outcome}`)
}

function outcomeOf (
  method: string,
  statusCode: number,
  errorCode: string | undefined
): AuditOutcome {
  if (errorCode === undefined) return method === 'POST' ? 'reset' : 'status'
  if (RATE_LIMIT_CODES.has(errorCode)) return 'rate-limited'
  return statusCode >= 500 && !DENIAL_CODES_IN_5XX.has(errorCode) ? 'failed' : 'denied'
}
