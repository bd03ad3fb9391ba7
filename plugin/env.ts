import { readFileSync } from 'node:fs'
import { InvalidConfigError } from './errors.js'

/** The process environment, or a stand-in for it. */
export type Env = Record<string, string | undefined>

/**
 * How messages name a setting: the register option when it was given, since options win over
 * the environment, otherwise the environment variable.
 */
export function sourceName (optionValue: unknown, option: string, variable: string): string {
  return optionValue !== undefined ? `option ${option}` : variable
}

/** The variable's value, or undefined when it is unset, empty or blank. */
export function nonEmpty (value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === '' ? undefined : trimmed
}

/** The variable as a positive integer, undefined when unset; anything else stops start-up. */
export function positiveInteger (env: Env, name: string): number | undefined {
  const raw = nonEmpty(env[name])
  if (raw === undefined) return undefined

  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !isPositiveInteger(value)) {
    throw new InvalidConfigError(`${name} must be a positive integer`)
  }
  return value
}

export function isPositiveInteger (value: number): boolean {
  return Number.isSafeInteger(value) && value > 0
}

/** The variable split on commas, entries trimmed and empty ones dropped. */
export function commaList (env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
}

/**
 * A file named by configuration; one that cannot be read stops start-up, naming `source` but
 * not the path, which may be a secret pasted into the wrong variable.
 */
export function readConfigFile (path: string, source: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    throw new InvalidConfigError(`${source}: cannot read the file it names (${code})`)
  }
}
