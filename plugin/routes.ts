import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { auditHooks } from './audit.js'
import type { PluginConfig } from './config.js'
import { FleetNotConfiguredError, MethodNotAllowedError } from './errors.js'
import { createFailedAttemptLimiter } from './failed-attempts.js'
import type { Fleet, FleetAction } from './fleet/fleet.js'
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
      response: { 200: StatusSchema, ...errorResponses }
    }
  }, async (request, reply) => {
    if (request.query.scope === 'fleet') return await sendFleetAnswer(reply, fleet, 'status')
    return pools.status()
  })

  app.post(config.routePath, {
    onRequest: [...firstGuards, originGuard, ...tokenGuards],
    ...auditing,
    schema: {
      headers: ResetHeadersSchema,
      querystring: ScopeQuerySchema,
      response: { 200: ResetResultSchema, ...errorResponses }
    }
  }, async (request, reply) => {
    if (request.query.scope === 'fleet') return await sendFleetAnswer(reply, fleet, 'reset')
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

/**
 * Fleet answers are serialised with their own schema here rather than through a union in the
 * route's: a union made the first reset of every process pay for compiling both branches.
 */
async function sendFleetAnswer (
  reply: FastifyReply,
  fleet: Fleet | undefined,
  action: FleetAction
): Promise<FastifyReply> {
  if (fleet === undefined) throw new FleetNotConfiguredError()

  const answer = await fleet.broadcast(action) as unknown as Record<string, unknown>
  return await reply
    .type('application/json; charset=utf-8')
    .send(reply.serializeInput(answer, FleetAnswerSchema))
}

function setRetryAfter (reply: FastifyReply, error: unknown): void {
  const { retryAfterSeconds } = error as { retryAfterSeconds?: number }
  if (retryAfterSeconds !== undefined) reply.header('retry-after', retryAfterSeconds)
}
