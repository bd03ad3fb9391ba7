import { test } from 'tap'
import { parseNetworkAllowlist } from '../plugin/networks.js'

test('matches addresses inside IPv4 and IPv6 ranges', async (t) => {
  const isAllowed = parseNetworkAllowlist(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1'])
  if (typeof isAllowed === 'string') throw new Error(`entry ${isAllowed} did not parse`)

  t.equal(isAllowed('10.200.3.4'), true)
  t.equal(isAllowed('11.0.0.1'), false)
  t.equal(isAllowed('192.168.1.7'), true, 'a bare address is a /32')
  t.equal(isAllowed('192.168.1.8'), false)
  t.equal(isAllowed('fd12::5'), true)
  t.equal(isAllowed('fe80::1'), false)
  t.equal(isAllowed('::1'), true)
  t.equal(isAllowed('::ffff:10.9.9.9'), true, 'an IPv4 client on an IPv6 socket')
  t.equal(isAllowed('not an address'), false)
})

test('names the first entry that does not parse', async (t) => {
  const badEntries = [
    '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0/8', 'localhost', '10.0.0.0/x'
  ]
  for (const bad of badEntries) {
    t.equal(parseNetworkAllowlist(['127.0.0.1/32', bad]), bad, bad)
  }
})
