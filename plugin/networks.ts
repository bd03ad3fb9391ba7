import { BlockList, isIP } from 'node:net'

/** Tells whether a client address lies inside the allowed networks. */
export type NetworkAllowlist = (address: string) => boolean

/**
 * Parses CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and bare addresses. Returns the entry that does
 * not parse instead of an allowlist when there is one. IPv4 clients seen through an IPv6 socket
 * (`::ffff:10.1.2.3`) match IPv4 ranges.
 */
export function parseNetworkAllowlist (entries: readonly string[]): NetworkAllowlist | string {
  const allowed = new BlockList()

  for (const entry of entries) {
    const [address = '', prefix, ...extra] = entry.split('/')
    const family = isIP(address)
    const maxPrefix = family === 6 ? 128 : 32
    const prefixLength = prefix === undefined ? maxPrefix : Number(prefix)
    const prefixValid = /^\d{1,3}$/.test(prefix ?? '0') && prefixLength <= maxPrefix
    if (family === 0 || !prefixValid || extra.length > 0) return entry

    allowed.addSubnet(address, prefixLength, family === 6 ? 'ipv6' : 'ipv4')
  }

  return (address) => {
    const family = isIP(address)
    return family !== 0 && allowed.check(address, family === 6 ? 'ipv6' : 'ipv4')
  }
}
