/**
 * Paths to give pino's `redact` so the reset token never reaches the log, also when a request
 * serializer logs headers: `Fastify({ logger: { redact: resetTokenRedactPaths } })`.
 */
export const resetTokenRedactPaths = ['req.headers["x-reset-token"]', 'headers["x-reset-token"]']
