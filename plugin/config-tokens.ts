import { InvalidConfigError } from './errors.js'
import { nonEmpty, readConfigFile, sourceName, type Env } from './env.js'
import type { PoolResetOptions } from './options.js'
import { MAX_ACCEPTED_TOKENS } from './secret.js'

const MIN_TOKEN_LENGTH = 32

/**
 * The accepted reset tokens, from the option or variable, or from a file named by either. An
 * empty result disables reset. Messages name the source and never the value.
 */
export function resolveTokens (options: PoolResetOptions, env: Env): string[] {
  const inline = {
    source: sourceName(options.resetToken, 'resetToken', 'CONNECTION_POOL_RESET_TOKEN'),
    value: options.resetToken ?? env.CONNECTION_POOL_RESET_TOKEN ?? ''
  }
  const fileVariable = 'CONNECTION_POOL_RESET_TOKEN_FILE'
  const file = {
    source: sourceName(options.resetTokenFile, 'resetTokenFile', fileVariable),
    path: options.resetTokenFile ?? nonEmpty(env[fileVariable])
  }

  if (inline.value !== '' && file.path !== undefined) {
    throw new InvalidConfigError(`${inline.source} and ${file.source} are both set: keep one`)
  }
  if (file.path === undefined) return parseTokens(inline.value, inline.source)

  // Secret files usually end with a newline that is not part of the token.
  const fromFile = readConfigFile(file.path, file.source).replace(/\r?\n$/, '')
  return parseTokens(fromFile, file.source)
}

function parseTokens (raw: string, source: string): string[] {
  if (raw === '') return []

  const tokens = raw.split(',')
  // Printable ASCII only: other bytes reach the server differently depending on the client.
  if (tokens.some((token) => token.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token))) {
    throw new InvalidConfigError(
      `${source} must hold comma-separated tokens of at least ${MIN_TOKEN_LENGTH} printable ` +
      'ASCII characters without whitespace (make one with: openssl rand -hex 32)'
    )
  }
  if (tokens.length > MAX_ACCEPTED_TOKENS) {
    throw new InvalidConfigError(`${source} holds more than ${MAX_ACCEPTED_TOKENS} tokens`)
  }
  return tokens
}
