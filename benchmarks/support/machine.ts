import { cpus, totalmem, type } from 'node:os'

/** Lines that say what the figures were measured on. */
export function describeMachine (): string[] {
  const processors = cpus()

  return [
    `CPU: ${processors[0]?.model ?? 'unknown'} (${processors.length} logical cores)`,
    `Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `OS: ${type()} ${process.arch}`,
    `Node: ${process.version}`
  ]
}
