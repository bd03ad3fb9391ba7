import createError from '@fastify/error'

/** The `Origin` or `Referer` of the request is present and not in the allowlist. */
export const UntrustedOriginError = createError(
  'POOL_RESET_UNTRUSTED_ORIGIN',
  'request origin is not trusted: call from a trusted origin or without a browser',
  403
)

/** The request carries no `x-reset-token` header where one is required. */
export const MissingTokenError = createError(
  'POOL_RESET_TOKEN_MISSING',
  'missing x-reset-token header: send the reset token',
  401
)

/** The `x-reset-token` header does not match the configured token. */
export const InvalidTokenError = createError(
  'POOL_RESET_TOKEN_INVALID',
  'invalid x-reset-token header: send the configured reset token',
  401
)

/** No reset token is configured on the server, so resets are refused. */
export const ResetDisabledError = createError(
  'POOL_RESET_DISABLED',
  'reset is disabled: set CONNECTION_POOL_RESET_TOKEN on the server to enable it',
  503
)

/** The new pool could not prove itself; the previous pool keeps serving. */
export const ResetFailedError = createError(
  'POOL_RESET_FAILED',
  'reset failed, the previous pool keeps serving: %s',
  503
)

/** The plugin was closed; no pool is available any more. */
export const PoolClosedError = createError(
  'POOL_RESET_CLOSED',
  'the resettable pool is closed: the server is shutting down',
  503
)

/** A configuration value is missing or malformed; thrown at registration. */
export const InvalidConfigError = createError(
  'POOL_RESET_INVALID_CONFIG',
  'invalid configuration: %s',
  500
)

/** No connection became free within `acquireTimeoutMs`. */
export const AcquireTimeoutError = createError(
  'POOL_RESET_ACQUIRE_TIMEOUT',
  'no database connection became free within %d ms: the pool may be exhausted or leaking',
  503
)

/** mysql2's `queueLimit` was reached, so the call was refused instead of queued. */
export const QueueLimitError = createError(
  'POOL_RESET_QUEUE_FULL',
  'too many callers are waiting for a database connection (queueLimit %d): retry later',
  503
)

/** A borrowed connection was still held when its retired pool reached the drain deadline. */
export const ConnectionRetiredError = createError(
  'POOL_RESET_CONNECTION_RETIRED',
  'this connection belonged to a pool that a reset retired and was closed at the drain ' +
    'deadline: release it and borrow a new one',
  503
)

/** The client address sent too many wrong tokens; it must wait for the window to end. */
export const TooManyFailedAttemptsError = createError(
  'POOL_RESET_TOO_MANY_FAILED_ATTEMPTS',
  'too many wrong reset tokens from this address: retry after %d s',
  429
)

/** A reset came too soon after the last successful one; the pool was left alone. */
export const ResetTooSoonError = createError(
  'POOL_RESET_TOO_SOON',
  'the pool was reset less than %d ms ago: retry after %d s, or check lastReset',
  429
)

/** A method other than GET, HEAD and POST on the operator path. */
export const MethodNotAllowedError = createError(
  'POOL_RESET_METHOD_NOT_ALLOWED',
  'method %s is not allowed here: use GET for the status, POST to reset',
  405
)

/** `scope=fleet` was asked of an instance that has no fleet configured. */
export const FleetNotConfiguredError = createError(
  'POOL_RESET_FLEET_NOT_CONFIGURED',
  'scope=fleet needs the fleet option or FLEET_REDIS_URL on this service: use scope=local',
  400
)

/** Redis cannot be reached, so the fleet cannot be asked; local routes keep working. */
export const FleetUnavailableError = createError(
  'POOL_RESET_FLEET_UNAVAILABLE',
  'the fleet cannot be reached through Redis (%s): local status and reset still work',
  503
)
