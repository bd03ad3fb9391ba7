import { parseArgs } from 'node:util'

/** A positive integer setting that a flag (`--name 5`) or an environment variable overrides. */
export interface IntegerSetting {
  env: string
  fallback: number
}

/**
 * Reads each setting from the command line, else the environment, else its fallback, and stops
 * with a message naming the flag when a value is not a positive integer.
 */
export function readSettings<K extends string> (
  settings: Record<K, IntegerSetting>
): Record<K, number> {
  const names = Object.keys(settings) as K[]
  const { values } = parseArgs({
    options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]))
  })

  const resolved = {} as Record<K, number>
  for (const name of names) {
    const { env, fallback } = settings[name]
    const raw = (values[name] as string | undefined) ?? process.env[env] ?? ''
    resolved[name] = raw === '' ? fallback : positiveInteger(raw, `--${name} (or ${env})`)
  }
  return resolved
}

function positiveInteger (raw: string, source: string): number {
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${source} must be a positive integer, got "${raw}"`)
  }
  return value
}
