import type { Spread } from './runs.js'

/** Prints a heading and, under it, a markdown table; a blank line goes before each. */
export function printTable (heading: string, header: string[], rows: string[][]): void {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`

  console.log(`\n${heading}\n`)
  console.log(line(header))
  console.log(line(header.map(() => '---')))
  rows.forEach((row) => { console.log(line(row)) })
}

/** A number with thousands separators and a fixed count of decimals; "n/a" when not a number. */
export function formatNumber (value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals
  })
}

/** "median (min – max)". */
export function formatSpread (spread: Spread, decimals = 0): string {
  const { median, min, max } = spread
  return `${formatNumber(median, decimals)} (${formatNumber(min, decimals)} – ` +
    `${formatNumber(max, decimals)})`
}

export const SPREAD_NOTE = 'Cells read "median (min – max)" over the measured runs, ' +
  'after one warm-up run.'
