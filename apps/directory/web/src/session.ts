import type { User } from '@tessera/client'
import Backbone from 'backbone'

interface SessionState {
  user: User | null
}

/** A sentence for the next page that shows notices: "Changes saved.", "Your session expired…". */
export interface Notice {
  text: string
  tone: 'info' | 'success' | 'warning'
}

/**
 * Who is logged in, as far as this page knows (the header listens to `change:user`), and
 * what the next page should tell the user. The server is the authority: any 401 clears the
 * user, and the API decides what a role may see.
 */
export class Session extends Backbone.Model<SessionState> {
  #notice: Notice | undefined
  /** The route the user was on when the server answered 403. */
  deniedFrom = ''

  constructor() {
    super({ user: null })
  }

  get user(): User | null {
    return this.get('user') ?? null
  }

  get isAdmin(): boolean {
    return this.user?.role === 'admin'
  }

  signIn(user: User): void {
    this.set('user', user)
  }

  signOut(notice?: string): void {
    if (notice !== undefined) this.notify(notice, 'info')
    this.set('user', null)
  }

  notify(text: string, tone: Notice['tone'] = 'info'): void {
    this.#notice = { text, tone }
  }

  /** The pending notice, once. */
  takeNotice(): Notice | undefined {
    const notice = this.#notice
    this.#notice = undefined
    return notice
  }
}
