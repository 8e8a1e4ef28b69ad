import { readFileSync } from 'node:fs'

const DEPLOY_DOC = new URL('../../docs/deploy.md', import.meta.url)

/** The one ```nginx block of docs/deploy.md, read at run time: the test runs what users copy. */
export function nginxBlockFromDocs(): string {
  const blocks = [...readFileSync(DEPLOY_DOC, 'utf8').matchAll(/^```nginx\n([\s\S]*?)^```$/gm)]
  if (blocks.length !== 1) throw new Error(`docs/deploy.md has ${blocks.length} nginx blocks, expected one`)
  return (blocks[0] as RegExpMatchArray)[1] as string
}

export interface LocalSetup {
  /** The public https port; 443 is the documented one, any other is written into the redirect as the docs say. */
  httpsPort: number
  httpPort: number
  certificate: string
  certificateKey: string
  /** Replaces the documented socket directory `/run/tessera`. */
  socketDir: string
}

/** Replaces `pattern` (which must occur exactly `count` times, so a changed doc fails loudly). */
function swap(text: string, pattern: RegExp, replacement: string, count = 1): string {
  const found = text.match(new RegExp(pattern.source, 'g'))?.length ?? 0
  if (found !== count) throw new Error(`docs nginx block: ${pattern} found ${found} times, expected ${count}`)
  return text.replace(new RegExp(pattern.source, 'g'), () => replacement)
}

/**
 * The documented block with only what differs on a test machine changed: the listening ports
 * (bound to 127.0.0.1 only), the certificate paths and the socket directory of the upstreams.
 */
export function adaptNginxBlock(block: string, local: LocalSetup): string {
  let text = swap(block, /listen 443 /, `listen 127.0.0.1:${local.httpsPort} `)
  text = swap(text, /listen 80;/, `listen 127.0.0.1:${local.httpPort};`)
  text = swap(text, /ssl_certificate +\S+;/, `ssl_certificate ${local.certificate};`)
  text = swap(text, /ssl_certificate_key +\S+;/, `ssl_certificate_key ${local.certificateKey};`)
  text = swap(text, /unix:\/run\/tessera\//, `unix:${local.socketDir}/`, 2)
  // docs/deploy.md: "On a public port other than 443, write that port in the redirect".
  if (local.httpsPort !== 443) {
    text = swap(text, /https:\/\/\$host\$request_uri/, `https://$host:${local.httpsPort}$request_uri`)
  }
  return text
}
