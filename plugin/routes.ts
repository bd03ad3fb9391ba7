import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { PluginConfig } from './config.js'
import { noStore, trustedOriginOnly, validTokenOnly, whenNoOrigin } from './guards.js'
import type { ResettablePool } from './resettable-pool.js'
import { ErrorSchema, ResetHeadersSchema, ResetResultSchema, StatusSchema } from './schemas.js'
import { createTokenMatcher } from './secret.js'

export interface OperatorRoutesOptions {
  config: PluginConfig
  pools: ResettablePool
}

/**
 * GET reports the pool's state, POST resets it. Their guards are route hooks, so they never
 * run for any other route of the service.
 */
export async function operatorRoutes (
  fastify: FastifyInstance,
  { config, pools }: OperatorRoutesOptions
): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const originGuard = trustedOriginOnly(config.trustedOrigins)
  const tokensConfigured = config.resetTokens.length > 0
  const tokenGuard = validTokenOnly(tokensConfigured, createTokenMatcher(config.resetTokens))

  app.get(config.routePath, {
    onRequest: config.requireTokenWithoutOrigin
      ? [noStore, originGuard, whenNoOrigin(tokenGuard)]
      : [noStore, originGuard],
    schema: {
      headers: ResetHeadersSchema,
      response: { 200: StatusSchema, '4xx': ErrorSchema, '5xx': ErrorSchema }
    }
  }, async () => pools.status())

  app.post(config.routePath, {
    onRequest: [noStore, originGuard, tokenGuard],
    schema: {
      headers: ResetHeadersSchema,
      response: { 200: ResetResultSchema, '4xx': ErrorSchema, '5xx': ErrorSchema }
    }
  }, async (request) => {
    const result = await pools.reset()
    request.log.warn({ previousGeneration: result.previousGeneration, generation: result.generation,
      durationMs: result.durationMs }, 'connection pool reset')
    return result
  })
}
