import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkPassword, PASSWORD_MAX, PASSWORD_MIN } from './password-policy.ts'

function reason(password: string, context = {}): string {
  const result = checkPassword(password, context)
  assert.equal(result.ok, false, `expected "${password.slice(0, 40)}" to be refused`)
  return result.ok ? '' : result.reason
}

test('accepts a long passphrase of unrelated words', () => {
  assert.deepEqual(checkPassword('copper kettle orbit lantern'), {
    ok: true,
    password: 'copper kettle orbit lantern',
  })
})

test('counts code points, not UTF-16 units: 15 emoji are long enough, 14 are not', () => {
  assert.equal(checkPassword('🦊🌲🏔️🐙🎻🧭🍄🚲🪐🦉🌵🎲🧩🪁🦀'.slice(0, 30)).ok, true)
  assert.match(reason('🦊🌲🐙🎻🧭🍄🚲🪐🦉🌵🎲🧩🪁🦀'), /at least 15/)
})

test('refuses passwords shorter than the minimum with the rule in the reason', () => {
  assert.match(
    reason('a'.repeat(PASSWORD_MIN - 1).replace(/a/g, (_, i) => String.fromCharCode(97 + (i % 7)))),
    /at least 15/,
  )
})

test('refuses passwords longer than the maximum instead of truncating them', () => {
  const long = Array.from({ length: PASSWORD_MAX + 1 }, (_, i) =>
    String.fromCharCode(97 + ((i * 7) % 26)),
  ).join('')
  assert.match(reason(long), /at most 256/)
})

test('normalises with NFKC so composed and decomposed forms are the same password', () => {
  const composed = checkPassword('café crème brûlée au lait')
  const decomposed = checkPassword('cafe\u0301 cre\u0300me bru\u0302le\u0301e au lait')
  assert.ok(composed.ok && decomposed.ok)
  assert.equal(composed.password, decomposed.password)
})

test('refuses common passwords, also repeated or with a short suffix', () => {
  assert.match(reason('123456789987654321'), /too common/)
  assert.match(reason('qazwsxedcrfvtgb'), /too common/)
  assert.match(reason('passwordpasswordpassword'), /too common/)
  assert.match(reason('iloveyouiloveyou123'), /too common/)
})

test('refuses a single repeated character and simple sequences', () => {
  assert.equal(checkPassword('zzzzzzzzzzzzzzzzzzzz').ok, false)
  assert.match(reason('abcdefghijklmnopq'), /sequence/)
})

test("refuses a password built from the account's own name and email", () => {
  assert.match(reason('ada.lovelace@example.com', { email: 'ada.lovelace@example.com' }), /name or email/)
  assert.match(reason('AdaLovelaceAda2', { name: 'Ada Lovelace' }), /name or email/)
})

test('refuses a common word followed by a sequence or a date, which is long enough but easy to guess', () => {
  for (const weak of [
    'password1234567890',
    'letmein1234567890',
    'Monday1234567890',
    'summer2024summer2024',
  ]) {
    assert.match(reason(weak), /easy to guess|too common/)
  }
  assert.match(reason('password1234567890'), /easy to guess/)
})

test('accepts passphrases of unrelated words, with spaces, accents or punctuation', () => {
  for (const good of [
    'correct horse battery staple',
    'Tessera-demo-passphrase',
    'café crème brûlée au lait',
    'violet tractor mumbles softly',
  ]) {
    assert.equal(checkPassword(good).ok, true, good)
  }
})

test('loads the word lists only when a password is first checked', async () => {
  const { execFileSync } = await import('node:child_process')
  const script = [
    "await import('./password-policy.ts')",
    "const { createRequire } = await import('node:module')",
    'const cache = createRequire(import.meta.url).cache',
    "console.log(Object.keys(cache).some((path) => path.includes('zxcvbn')))",
  ].join(';')
  const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: import.meta.dirname,
    encoding: 'utf8',
  })
  assert.equal(loaded.trim(), 'false')
})
