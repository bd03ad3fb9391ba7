import { test } from 'tap'
import { normaliseOrigin, originOfUrl, parseOriginAllowlist } from '../plugin/origin.js'

test('normalises case, default ports and a trailing slash', async (t) => {
  t.equal(normaliseOrigin('HTTPS://Ops.Example.COM'), 'https://ops.example.com')
  t.equal(normaliseOrigin('https://ops.example.com:443/'), 'https://ops.example.com')
  t.equal(normaliseOrigin('http://ops.example.com:80'), 'http://ops.example.com')
  t.equal(normaliseOrigin('http://127.0.0.1:8080'), 'http://127.0.0.1:8080')
  t.equal(normaliseOrigin('http://[::1]:8080/'), 'http://[::1]:8080')
})

test('refuses anything that is not a bare web origin', async (t) => {
  const refused = [
    'null', '', 'ops.example.com', 'ftp://ops.example.com', 'file:///etc/passwd',
    'https://user:pw@ops.example.com', 'https://ops.example.com/path', 'https://ops.example.com?q',
    'https://ops.example.com#x', 'https://', 'javascript:alert(1)', 'https://ops example.com'
  ]
  for (const value of refused) {
    t.equal(normaliseOrigin(value), undefined, JSON.stringify(value))
  }
})

test('takes the origin of a referring page', async (t) => {
  t.equal(originOfUrl('https://Ops.Example.com/dash/board?x=1#y'), 'https://ops.example.com')
  t.equal(originOfUrl('about:blank'), undefined)
  t.equal(originOfUrl('not a url'), undefined)
})

test('an allowlist matches exact origins and wildcard subdomains', async (t) => {
  const isTrusted = parseOriginAllowlist([
    'https://ops.example.com', 'https://*.example.com', 'http://*.internal.test:8080'
  ])
  if (typeof isTrusted === 'string') throw new Error(`entry ${isTrusted} did not parse`)

  t.equal(isTrusted('https://ops.example.com'), true)
  t.equal(isTrusted('https://a.example.com'), true)
  t.equal(isTrusted('https://a.b.example.com'), true, 'any depth')
  t.equal(isTrusted('https://example.com'), false, 'never the bare host unless listed')
  t.equal(isTrusted('https://example.com.evil.net'), false)
  t.equal(isTrusted('https://evilexample.com'), false)
  t.equal(isTrusted('http://a.example.com'), false, 'another scheme')
  t.equal(isTrusted('https://a.example.com:8443'), false, 'another port')
  t.equal(isTrusted('http://a.internal.test:8080'), true)
  t.equal(isTrusted('http://a.internal.test'), false)
})

test('an allowlist names the first entry that does not parse', async (t) => {
  t.equal(parseOriginAllowlist(['https://ok.example.com', 'https://*.']), 'https://*.')
  t.equal(parseOriginAllowlist(['*.example.com']), '*.example.com')
  t.equal(parseOriginAllowlist(['https://a.*.example.com']), 'https://a.*.example.com')
  t.equal(parseOriginAllowlist(['ftp://*.example.com']), 'ftp://*.example.com')
})

test('refuses values that URL parsing would quietly clean up', async (t) => {
  for (const value of [
    ' https://ops.example.com', 'https://ops.example.com ', 'https://ops.example.com\u0000',
    '\u0001https://ops.example.com', 'https://ops.exa\tmple.com', 'https://ops.example.com\n'
  ]) {
    t.equal(normaliseOrigin(value), undefined, JSON.stringify(value))
    t.equal(originOfUrl(value), undefined, JSON.stringify(value))
  }
})
