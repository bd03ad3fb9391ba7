/**
 * Origins are compared as `scheme://host[:port]`, after WHATWG URL parsing has lowercased the
 * scheme and host, dropped a default port and dropped a bare trailing slash.
 */
const WEB_SCHEMES = new Set(['http:', 'https:'])
// `scheme://*.rest`: the wildcard stands for one or more leading labels of the host.
const WILDCARD_ENTRY = /^([a-z][a-z0-9+.-]*:\/\/)\*\.(.*)$/i

/** Returns the normalised origin of `value`, or undefined when it is not a bare web origin. */
export function normaliseOrigin (value: string): string | undefined {
  const url = parseUrl(value)
  if (url === undefined || url.username !== '' || url.password !== '') return undefined
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined

  return url.origin
}

/** Returns the normalised origin of a full URL such as a `Referer`, or undefined. */
export function originOfUrl (value: string): string | undefined {
  return parseUrl(value)?.origin
}

/** Tells whether a normalised origin is trusted. */
export type OriginAllowlist = (origin: string) => boolean

/**
 * Parses allowlist entries: exact origins, or `scheme://*.host[:port]` for every subdomain of
 * `host` (at any depth, never `host` itself) with that scheme and port. Returns the entry that
 * does not parse instead of an allowlist when there is one.
 */
export function parseOriginAllowlist (entries: readonly string[]): OriginAllowlist | string {
  const exact = new Set<string>()
  const wildcards: URL[] = []

  for (const entry of entries) {
    const pattern = parseEntry(entry)
    if (pattern === undefined) return entry
    if (pattern.wildcard) wildcards.push(new URL(pattern.origin))
    else exact.add(pattern.origin)
  }

  return (origin) => exact.has(origin) || wildcards.some((base) => isSubdomainOrigin(origin, base))
}

function parseEntry (entry: string): { origin: string, wildcard: boolean } | undefined {
  const wildcard = WILDCARD_ENTRY.exec(entry)
  const origin = normaliseOrigin(wildcard === null ? entry : `${wildcard[1]}${wildcard[2]}`)
  // WHATWG URLs accept `*` in a host; anywhere but the leading label it is a mistake.
  if (origin === undefined || origin.includes('*')) return undefined
  return { origin, wildcard: wildcard !== null }
}

function isSubdomainOrigin (origin: string, base: URL): boolean {
  const url = new URL(origin)
  return url.protocol === base.protocol && url.port === base.port &&
    url.hostname.endsWith(`.${base.hostname}`)
}

// URL parsing silently strips these from the ends of a value; a real browser never sends them.
const STRIPPED_BY_URL_PARSING = /^[\s\u0000-\u001f]|[\s\u0000-\u001f]$|[\t\n\r]/

function parseUrl (value: string): URL | undefined {
  if (STRIPPED_BY_URL_PARSING.test(value) || !URL.canParse(value)) return undefined

  const url = new URL(value)
  return WEB_SCHEMES.has(url.protocol) && url.hostname !== '' ? url : undefined
}
