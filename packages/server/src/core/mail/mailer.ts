/** One mail, ready to send: the transport adds `From` (MAIL_FROM). */
export interface MailMessage {
  to: { name: string; address: string }
  subject: string
  text: string
  html: string
}

/**
 * Where account mails go: SMTP in production (`createSmtpMailer`), `.eml` files in development
 * (`createFileMailer`), a capture in tests. `send` rejects when the mail was not accepted.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>
  close?(): Promise<void>
}

/**
 * A header value with every control character (CR, LF, NUL, …) turned into a space: a display
 * name or subject can never end a header line and start another (mail header injection).
 */
export function headerSafe(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim()
}

/** Text for an HTML body: the five characters that could open markup or an attribute, escaped. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
