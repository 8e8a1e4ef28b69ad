import $ from 'jquery'
import type { AppContext } from '../app-context.ts'

interface Identities {
  identities: Array<{ provider: string; email: string; linkedAt: string }>
  signIn: { provider: string; authenticatedAt: string; amr: string[]; acr: string | null } | null
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/**
 * The account page's "Identity providers" card: each provider account linked to this user
 * (the link is audited), and, for a session from a provider sign-in, when and how the person
 * proved themselves there. Nothing is shown when the server has no providers.
 */
export async function showLinkedIdentities(region: JQuery, app: AppContext): Promise<void> {
  let answer: Identities
  try {
    answer = await app.client.request<Identities>('/auth/oidc/identities')
  } catch {
    return
  }
  const card = $('<section class="card shadow-sm mt-3" aria-labelledby="identities-heading"></section>')
  card.append(
    '<div class="card-header"><h2 id="identities-heading" class="h6 mb-0">Identity providers</h2></div>',
  )
  const body = $('<div class="card-body"></div>').appendTo(card)
  if (answer.identities.length === 0)
    body.append($('<p class="mb-0"></p>').text('No provider account is linked.'))
  const list = $('<ul class="mb-0" data-role="identities"></ul>').appendTo(body)
  for (const id of answer.identities)
    list.append($('<li></li>').text(`${id.provider}: ${id.email}, linked ${when(id.linkedAt)}`))
  if (answer.signIn) {
    const { provider, authenticatedAt, amr, acr } = answer.signIn
    const how = [amr.length ? `methods ${amr.join(', ')}` : '', acr ? `level ${acr}` : '']
      .filter(Boolean)
      .join('; ')
    body.append(
      $('<p class="small text-secondary mt-2 mb-0" data-role="sign-in-proof"></p>').text(
        `This session: signed in with ${provider} at ${when(authenticatedAt)}${how ? ` (${how})` : ''}.`,
      ),
    )
  }
  region.empty().append(card)
}
