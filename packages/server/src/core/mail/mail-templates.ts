import { escapeHtml, headerSafe, type MailMessage } from './mailer.ts'

/** Every account mail Tessera sends. */
export const MAIL_KINDS = [
  'invite',
  'verify',
  'welcome',
  'reset',
  'register_existing',
  'email_change',
  'email_changed',
  'password_changed',
  'new_device',
  'disabled',
  'role_changed',
] as const
export type MailKind = (typeof MAIL_KINDS)[number]

export interface MailVars {
  appName: string
  /** The app's public origin; links are built on it, never on a request's Host. */
  origin: string
  to: { name: string; address: string }
  /** A path under the origin, e.g. `/#reset/…`. */
  link?: string
  code?: string
  /** Free words for the mail (a device, a role, an address): plain text, escaped for HTML. */
  note?: string
  expiresIn?: string
}

interface Template {
  subject: string
  lines: (v: MailVars) => string[]
  action?: string
}

const TEMPLATES: Record<MailKind, Template> = {
  invite: {
    subject: 'You are invited',
    lines: (v) => [
      `You have been invited to ${v.appName}. Choose a password to start.`,
      `The link works for ${v.expiresIn}.`,
    ],
    action: 'Accept the invitation',
  },
  verify: {
    subject: 'Confirm your email address',
    lines: (v) => [`Please confirm that this address is yours. The link works for ${v.expiresIn}.`],
    action: 'Confirm my address',
  },
  welcome: {
    subject: 'Your account',
    lines: (v) => [`Your account at ${v.appName} is ready. You can log in now.`],
  },
  reset: {
    subject: 'Reset your password',
    lines: (v) => [
      'Someone (hopefully you) asked to reset your password.',
      `Your code is ${v.code}. The link and the code work once, for ${v.expiresIn}.`,
      'If it was not you, ignore this mail: your password stays as it is.',
    ],
    action: 'Choose a new password',
  },
  register_existing: {
    subject: 'Someone tried to register with your address',
    lines: () => [
      'Someone tried to create an account with this address, which already has one.',
      'If it was you and you forgot your password, reset it with the link below. Otherwise ignore this mail.',
    ],
    action: 'Reset my password',
  },
  email_change: {
    subject: 'Confirm your new email address',
    lines: (v) => [
      `Confirm that this is your new address for ${v.appName}. The link works for ${v.expiresIn}.`,
    ],
    action: 'Confirm the new address',
  },
  email_changed: {
    subject: 'Your email address was changed',
    lines: (v) => [
      `The email address of your account was changed to ${v.note}.`,
      `If it was not you, undo the change within ${v.expiresIn}: every session and key will be signed out.`,
    ],
    action: 'Undo the change',
  },
  password_changed: {
    subject: 'Your password was changed',
    lines: () => [
      'The password of your account was changed, and every other session and key was signed out.',
      'If it was not you, reset your password and tell an administrator.',
    ],
  },
  new_device: {
    subject: 'New sign-in to your account',
    lines: (v) => [
      `Your account was signed in from a device not seen before: ${v.note}.`,
      'If it was not you, change your password.',
    ],
  },
  disabled: {
    subject: 'Your account was disabled',
    lines: () => ['An administrator disabled your account; every session and key was signed out.'],
  },
  role_changed: {
    subject: 'Your role was changed',
    lines: (v) => [`An administrator changed your role to ${v.note}; please log in again.`],
  },
}

/** A plain-text and an HTML body from the template of `kind`, with the app's name and origin. */
export function renderMail(kind: MailKind, vars: MailVars): MailMessage {
  const template = TEMPLATES[kind]
  const name = headerSafe(vars.to.name)
  const lines = template.lines(vars)
  const url = vars.link === undefined ? undefined : `${vars.origin}${vars.link}`
  const text = [
    `Hello ${name},`,
    '',
    ...lines,
    ...(url ? ['', `${template.action}: ${url}`] : []),
    '',
    `— ${vars.appName}, ${vars.origin}`,
  ].join('\n')
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')
  const button = url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(template.action ?? url)}</a></p>` : ''
  const html = `<!doctype html><html><body><p>Hello ${escapeHtml(name)},</p>\n${paragraphs}\n${button}\n<p>— ${escapeHtml(vars.appName)}, ${escapeHtml(vars.origin)}</p></body></html>`
  return {
    to: { name, address: vars.to.address },
    subject: headerSafe(`${vars.appName}: ${template.subject}`),
    text,
    html,
  }
}
