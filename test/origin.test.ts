import { test } from 'tap'
import { normaliseOrigin, originOfUrl } from '../plugin/origin.js'

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
