import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  InvalidTokenError, MissingTokenError, ResetDisabledError, UntrustedOriginError
} from './errors.js'
import { normaliseOrigin, originOfUrl } from './origin.js'
import type { TokenMatcher } from './secret.js'

export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/** Answers are about live state and may name the pool's layout: never cache them. */
export const noStore: Guard = async (_request, reply) => {
  reply.header('cache-control', 'no-store')
}

/**
 * Refuses a request whose `Origin`, or failing that `Referer`, is present and not trusted.
 * Requests with neither (curl, server to server) pass.
 */
export function trustedOriginOnly (trustedOrigins: ReadonlySet<string>): Guard {
  return async (request) => {
    const { origin, referer } = request.headers
    if (origin === undefined && referer === undefined) return

    const claimed = origin !== undefined ? normaliseOrigin(origin) : originOfUrl(referer as string)
    if (claimed === undefined || !trustedOrigins.has(claimed)) {
      throw new UntrustedOriginError()
    }
  }
}

/** Refuses a request without a valid `x-reset-token`; 503 when no token is configured at all. */
export function validTokenOnly (tokensConfigured: boolean, matches: TokenMatcher): Guard {
  return async (request) => {
    if (!tokensConfigured) throw new ResetDisabledError()

    const token = request.headers['x-reset-token']
    if (token === undefined) throw new MissingTokenError()
    if (typeof token !== 'string' || !matches(token)) throw new InvalidTokenError()
  }
}

/** Applies `guard` only to requests that carry neither `Origin` nor `Referer`. */
export function whenNoOrigin (guard: Guard): Guard {
  return async (request, reply) => {
    const { origin, referer } = request.headers
    if (origin === undefined && referer === undefined) await guard(request, reply)
  }
}
