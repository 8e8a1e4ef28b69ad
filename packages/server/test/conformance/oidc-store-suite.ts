import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import type { OidcFlow, OidcGrant, OidcStore } from '../../src/core/oidc/oidc-store.ts'
import { type OpenStores, useStores } from './open-stores.ts'
import { liveSession } from './session-record.ts'
import { uniqueId } from './unique-id.ts'

const NOW = Date.UTC(2030, 0, 1)

function hashId(): string {
  return createHash('sha256').update(uniqueId('state')).digest('hex')
}

function flow(expiresAt = NOW + 60_000): OidcFlow {
  return {
    id: hashId(),
    provider: 'corp',
    nonce: uniqueId('nonce'),
    codeVerifier: uniqueId('verifier'),
    browserHash: hashId(),
    mode: 'web',
    returnTo: '/employees/7?tab=x',
    appChallenge: null,
    maxAge: 0,
    expiresAt,
  }
}

/** The OidcStore contract: single-use flows and grants (atomic across callers), identity links, sign-in proofs. */
export function oidcStoreSuite(backend: string, open: OpenStores<'oidc' | 'users' | 'credentials'>): void {
  describe(`OidcStore on ${backend}`, { timeout: 30_000 }, () => {
    const stores = useStores(open)
    const oidc = (): OidcStore => {
      const store = stores().oidc
      assert.ok(store)
      return store
    }
    async function newUser() {
      const email = `${uniqueId('oidc')}@example.test`
      const user = await stores().users.create(
        { email, emailKey: email, name: 'o', role: 'user', passwordHash: 'h' },
        NOW,
      )
      assert.ok(user !== 'email_taken')
      return user
    }

    test('hands a flow out once, exactly as saved', async () => {
      const saved = flow()
      await oidc().saveFlow(saved)
      assert.deepEqual(await oidc().takeFlow(saved.id, NOW), saved)
      assert.equal(await oidc().takeFlow(saved.id, NOW), undefined)
    })

    test('hands a flow to exactly one of many parallel callers', async () => {
      const saved = flow()
      await oidc().saveFlow(saved)
      const taken = await Promise.all(Array.from({ length: 12 }, () => oidc().takeFlow(saved.id, NOW)))
      assert.equal(taken.filter((t) => t !== undefined).length, 1)
    })

    test('refuses an expired flow, and removes it', async () => {
      const saved = flow(NOW + 1000)
      await oidc().saveFlow(saved)
      assert.equal(await oidc().takeFlow(saved.id, NOW + 1000), undefined)
      assert.equal(await oidc().takeFlow(saved.id, NOW), undefined)
    })

    test('deletes expired flows and keeps live ones', async () => {
      const [dead, live] = [flow(NOW - 1), flow(NOW + 60_000)]
      await oidc().saveFlow(dead)
      await oidc().saveFlow(live)
      assert.ok((await oidc().deleteExpired(NOW)) >= 1)
      assert.deepEqual(await oidc().takeFlow(live.id, NOW), live)
    })

    test('hands a grant to exactly one of many parallel callers', async () => {
      const user = await newUser()
      const grant: OidcGrant = {
        id: hashId(),
        userId: user.id,
        provider: 'corp',
        appChallenge: 'c'.repeat(43),
        credentialEpoch: 0,
        authenticatedAt: NOW - 5000,
        amr: ['pwd', 'mfa'],
        acr: 'urn:x',
        expiresAt: NOW + 60_000,
      }
      await oidc().saveGrant(grant)
      const taken = await Promise.all(Array.from({ length: 12 }, () => oidc().takeGrant(grant.id, NOW)))
      assert.deepEqual(
        taken.filter((t) => t !== undefined),
        [grant],
      )
    })

    test('links a provider account to one user only', async () => {
      const [a, b] = [await newUser(), await newUser()]
      const subject = uniqueId('sub')
      const link = { provider: 'corp', subject, email: a.email, linkedAt: NOW }
      const outcomes = await Promise.all([
        oidc().linkIdentity({ ...link, userId: a.id }),
        oidc().linkIdentity({ ...link, userId: b.id }),
      ])
      assert.deepEqual(outcomes.sort(), ['linked', 'taken'])
      const found = await oidc().findIdentity('corp', subject)
      assert.ok(found && [a.id, b.id].includes(found.userId))
      assert.deepEqual(await oidc().listIdentities(found.userId), [found])
    })

    test('records what a provider sign-in proved beside the credential', async () => {
      const user = await newUser()
      const id = uniqueId('ses')
      await stores().credentials.create(liveSession(id, user.id, NOW))
      const signIn = {
        credentialId: id,
        userId: user.id,
        provider: 'corp',
        authenticatedAt: NOW - 1,
        amr: ['hwk'],
        acr: null,
      }
      await oidc().recordSignIn(signIn)
      assert.deepEqual(await oidc().findSignIn(id), signIn)
    })
  })
}
