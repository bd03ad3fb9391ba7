/** mysql2's message for a command given to a connection it already knows is closed. */
const CLOSED_STATE_MESSAGE = "Can't add new command when connection is in closed state"

interface DriverError {
  message?: unknown
  syscall?: unknown
}

/**
 * True when the error proves the statement never reached the server, so running it again cannot
 * run it twice: the socket refused the write (the server had already closed the session), or the
 * driver knew the connection was closed before sending anything. Any other error may come after
 * the server started the statement.
 */
export function neverReachedServer (error: unknown): boolean {
  // mysql2 always rejects with an Error object.
  const { message, syscall } = error as DriverError
  return syscall === 'write' || message === CLOSED_STATE_MESSAGE
}
