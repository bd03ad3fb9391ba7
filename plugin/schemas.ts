import { Type } from '@sinclair/typebox'

export const ResetHeadersSchema = Type.Object({
  'x-reset-token': Type.Optional(Type.String({ description: 'The reset token.' }))
})

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String()
}, { description: 'Fastify error shape; `code` is stable per case.' })

const Timestamp = Type.String({ format: 'date-time' })

const CountsSchema = Type.Object({
  total: Type.Integer({ description: 'Connections the pool holds, connecting ones included.' }),
  idle: Type.Integer(),
  active: Type.Integer({ description: 'Connections lent to callers.' }),
  queued: Type.Integer({ description: 'Callers waiting for a connection.' })
})

const LastResetSchema = Type.Object({
  at: Timestamp,
  durationMs: Type.Integer(),
  outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  generation: Type.Integer({ description: 'Generation serving after the attempt.' })
})

export const StatusSchema = Type.Object({
  generation: Type.Integer(),
  createdAt: Timestamp,
  lastReset: Type.Union([LastResetSchema, Type.Null()]),
  limits: Type.Object({
    connectionLimit: Type.Integer(),
    queueLimit: Type.Integer({ description: '0 means unbounded.' }),
    drainTimeoutMs: Type.Integer(),
    connectTimeoutMs: Type.Integer(),
    acquireTimeoutMs: Type.Integer()
  }),
  current: CountsSchema,
  draining: Type.Array(Type.Composite([
    Type.Object({ generation: Type.Integer(), drainingSince: Timestamp }),
    CountsSchema
  ]))
})

export const ResetResultSchema = Type.Object({
  previousGeneration: Type.Integer(),
  generation: Type.Integer(),
  before: CountsSchema,
  after: CountsSchema,
  durationMs: Type.Integer(),
  at: Timestamp
})

export const TooManyRequestsSchema = Type.Composite([
  ErrorSchema,
  Type.Object({
    lastReset: Type.Optional(ResetResultSchema)
  })
], { description: 'Error shape; a refused reset storm also carries the last reset\'s result.' })

export const ScopeQuerySchema = Type.Object({
  scope: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('fleet')], {
    description: 'fleet: every instance of the service, through Redis. Default local.'
  }))
})

const InstanceAnswerSchema = Type.Object({
  instanceId: Type.String(),
  outcome: Type.Union(
    ['reset', 'failed', 'rate-limited', 'status'].map((name) => Type.Literal(name))
  ),
  generationBefore: Type.Integer(),
  generationAfter: Type.Integer(),
  durationMs: Type.Integer(),
  message: Type.Optional(Type.String()),
  status: Type.Optional(StatusSchema)
})

export const FleetAnswerSchema = Type.Object({
  commandId: Type.String(),
  action: Type.Union([Type.Literal('reset'), Type.Literal('status')]),
  summary: Type.Object({
    status: Type.Union([Type.Literal('complete'), Type.Literal('partial')], {
      description: 'partial: some members whose heartbeat was alive did not answer in time.'
    }),
    expected: Type.Integer(),
    answered: Type.Integer(),
    missing: Type.Integer()
  }),
  instances: Type.Array(InstanceAnswerSchema),
  missing: Type.Array(Type.String())
})
