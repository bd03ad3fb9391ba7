import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { auditHooks } from './audit.js'
import type { PluginConfig } from './config.js'
import { Type } from '@sinclair/typebox'
import { FleetNotConfiguredError, MethodNotAllowedError } from './errors.js'
import { createFailedAttemptLimiter } from './failed-attempts.js'
import type { Fleet } from './fleet/fleet.js'
import {
  allowedNetworksOnly, noStore, notLockedOut, trustedOriginOnly, validTokenOnly, whenNoOrigin,
  type Guard
} from './guards.js'
import type { ResettablePool } from './resettable-pool.js'
import {
  ErrorSchema, FleetAnswerSchema, ResetHeadersSchema, ResetResultSchema, ScopeQuerySchema,
  StatusSchema, TooManyRequestsSchema
} from './schemas.js'
import { createTokenMatcher } from './secret.js'

export interface OperatorRoutesOptions {
  config: PluginConfig
  pools: ResettablePool
  fleet: Fleet | undefined
}

const ALLOWED_METHODS = ['GET', 'HEAD', 'POST']
// OPTIONS stays free for a CORS plugin's preflight answers.
const UNHANDLED_METHODS = new Set([...ALLOWED_METHODS, 'OPTIONS'])

/**
 * GET reports the pool's state, POST resets it, other methods get 405. Their guards are route
 * hooks, so they never run for any other route of the service.
 */
export async function operatorRoutes (
  fastify: FastifyInstance,
  { config, pools, fleet }: OperatorRoutesOptions
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const limiter = createFailedAttemptLimiter(config.maxFailedAttempts, config.failedAttemptWindowMs)
  const tokensConfigured = config.resetTokens.length > 0
  const tokenGuards = [
    notLockedOut(limiter),
    validTokenOnly(tokensConfigured, createTokenMatcher(config.resetTokens), limiter)
  ]
  const audit = auditHooks(() => pools.generation)
  // Outside the allowed networks the routes must look absent, so that check comes before any
  // header of ours is set.
  const firstGuards: Guard[] = config.isAllowedNetwork === undefined
    ? [audit.onRequest, noStore]
    : [audit.onRequest, allowedNetworksOnly(config.isAllowedNetwork), noStore]
  const originGuard = trustedOriginOnly(config.isTrustedOrigin)
  const errorResponses = { '4xx': ErrorSchema, 429: TooManyRequestsSchema, '5xx': ErrorSchema }
  const auditing = { onError: audit.onError, onResponse: audit.onResponse }

  app.get(config.routePath, {
    onRequest: config.requireTokenWithoutOrigin
      ? [...firstGuards, originGuard, ...tokenGuards.map(whenNoOrigin)]
      : [...firstGuards, originGuard],
    ...auditing,
    schema: {
      headers: ResetHeadersSchema,
      querystring: ScopeQuerySchema,
      response: { 200: Type.Union([StatusSchema, FleetAnswerSchema]), ...errorResponses }
    }
  }, async (request) => {
    if (request.query.scope === 'fleet') return await fleetOf(fleet).broadcast('status')
    return pools.status()
  })

  app.post(config.routePath, {
    onRequest: [...firstGuards, originGuard, ...tokenGuards],
    ...auditing,
    schema: {
      headers: ResetHeadersSchema,
      querystring: ScopeQuerySchema,
      response: { 200: Type.Union([ResetResultSchema, FleetAnswerSchema]), ...errorResponses }
    }
  }, async (request, reply) => {
    if (request.query.scope === 'fleet') return await fleetOf(fleet).broadcast('reset')
    try {
      return await pools.reset({ minIntervalMs: config.minResetIntervalMs })
    } catch (error) {
      setRetryAfter(reply, error)
      throw error
    }
  })

  app.route({
    method: fastify.supportedMethods.filter((name) => !UNHANDLED_METHODS.has(name)) as
      HTTPMethods[],
    url: config.routePath,
    // Refused in onRequest, before Fastify looks for a body parser for methods such as QUERY;
    // the handler is the same refusal, as Fastify requires one.
    onRequest: [...firstGuards, refuseMethod],
    ...auditing,
    schema: { response: { 405: ErrorSchema } },
    handler: refuseMethod
  })
}

async function refuseMethod (request: FastifyRequest, reply: FastifyReply): Promise<never> {
  reply.header('allow', ALLOWED_METHODS.join(', '))
  throw new MethodNotAllowedError(request.method)
}

function fleetOf (fleet: Fleet | undefined): Fleet {
  if (fleet === undefined) throw new FleetNotConfiguredError()
  return fleet
}

function setRetryAfter (reply: FastifyReply, error: unknown): void {
  const { retryAfterSeconds } = error as { retryAfterSeconds?: number }
  if (retryAfterSeconds !== undefined) reply.header('retry-after', retryAfterSeconds)
}
