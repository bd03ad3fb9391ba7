import type { FastifyReply, FastifyRequest } from 'fastify'
import { noteDenial } from './audit.js'
import {
  InvalidTokenError, MissingTokenError, ResetDisabledError, TooManyFailedAttemptsError,
  UntrustedOriginError
} from './errors.js'
import type { FailedAttemptLimiter } from './failed-attempts.js'
import type { NetworkAllowlist } from './networks.js'
import { normaliseOrigin, originOfUrl, type OriginAllowlist } from './origin.js'
import type { TokenMatcher } from './secret.js'

export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/** Answers are about live state and may name the pool's layout: never cache them. */
export const noStore: Guard = async (_request, reply) => {
  reply.header('cache-control', 'no-store')
}

/** Answers 404, as if the routes did not exist, to clients outside the allowed networks. */
export function allowedNetworksOnly (isAllowed: NetworkAllowlist): Guard {
  return async (request, reply) => {
    if (isAllowed(request.ip)) return

    noteDenial(request, 'network not allowed')
    reply.callNotFound()
    return await reply
  }
}

/**
 * Refuses a request whose `Origin`, or failing that `Referer`, is present and not trusted.
 * Requests with neither (curl, server to server) pass.
 */
export function trustedOriginOnly (isTrusted: OriginAllowlist): Guard {
  return async (request) => {
    if (namesNoOrigin(request)) return

    const { origin, referer } = request.headers
    const claimed = origin !== undefined ? normaliseOrigin(origin) : originOfUrl(referer as string)
    if (claimed === undefined || !isTrusted(claimed)) {
      throw new UntrustedOriginError()
    }
  }
}

/** Refuses every token check from an address that sent too many wrong tokens. */
export function notLockedOut (limiter: FailedAttemptLimiter): Guard {
  return async (request, reply) => {
    const lockedForMs = limiter.lockedForMs(request.ip)
    if (lockedForMs === 0) return

    const retryAfterSeconds = Math.ceil(lockedForMs / 1000)
    reply.header('retry-after', retryAfterSeconds)
    throw new TooManyFailedAttemptsError(retryAfterSeconds)
  }
}

/**
 * Refuses a request without a valid `x-reset-token`, counting wrong ones against the client
 * address; 503 when no token is configured at all.
 */
export function validTokenOnly (
  tokensConfigured: boolean,
  matches: TokenMatcher,
  limiter: FailedAttemptLimiter
): Guard {
  return async (request) => {
    if (!tokensConfigured) throw new ResetDisabledError()

    const token = request.headers['x-reset-token']
    if (token === undefined) throw new MissingTokenError()
    if (typeof token !== 'string' || !matches(token)) {
      limiter.recordFailure(request.ip)
      throw new InvalidTokenError()
    }
  }
}

/** Applies `guard` only to requests that carry neither `Origin` nor `Referer`. */
export function whenNoOrigin (guard: Guard): Guard {
  return async (request, reply) => {
    if (namesNoOrigin(request)) await guard(request, reply)
  }
}

/** Curl and server-to-server calls send neither `Origin` nor `Referer`. */
function namesNoOrigin ({ headers }: FastifyRequest): boolean {
  return headers.origin === undefined && headers.referer === undefined
}
