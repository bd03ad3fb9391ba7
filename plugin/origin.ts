/**
 * Origins are compared as `scheme://host[:port]`, after WHATWG URL parsing has lowercased the
 * scheme and host, dropped a default port and dropped a bare trailing slash.
 */
const WEB_SCHEMES = new Set(['http:', 'https:'])

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

function parseUrl (value: string): URL | undefined {
  if (!URL.canParse(value)) return undefined

  const url = new URL(value)
  return WEB_SCHEMES.has(url.protocol) && url.hostname !== '' ? url : undefined
}
