import { execFileSync } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface LocalCertificate {
  /** The development CA to trust once (PEM). */
  caCertFile: string
  /** The server certificate for `localhost` and `127.0.0.1`, signed by that CA (PEM). */
  certFile: string
  keyFile: string
  /** Base64 SHA-256 of the server certificate's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  spkiSha256: string
}

/**
 * A local certificate authority and a server certificate it signs for `localhost` and
 * `127.0.0.1` (P-256, with the `openssl` command), kept in `dir` and reused while present:
 * browsers bind sessions (DBSC) only over https with a certificate that verifies, so the
 * demo needs one the browser trusts. The CA's key never leaves `dir`.
 */
export function localCertificate(dir: string, days = 90): LocalCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = (name: string) => join(dir, name)
  const files = { caCertFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key') }
  if (!Object.values(files).every((f) => existsSync(f))) {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
    openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', files.caCertFile, '-days', String(days))
      .add('-subj', '/CN=Tessera local development CA')
      .add('-addext', 'basicConstraints=critical,CA:TRUE')
      .add('-addext', 'keyUsage=critical,keyCertSign,cRLSign')
      .run()
    openssl(
      'req',
      ...ec,
      '-keyout',
      files.keyFile,
      '-out',
      file('server.csr'),
      '-subj',
      '/CN=localhost',
    ).run()
    writeFileSync(
      file('server.ext'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
    )
    openssl('x509', '-req', '-in', file('server.csr'), '-CA', files.caCertFile, '-CAkey', file('ca.key'))
      .add('-CAcreateserial', '-out', files.certFile, '-days', String(days), '-extfile', file('server.ext'))
      .run()
  }
  return { ...files, spkiSha256: spkiSha256(readFileSync(files.certFile)) }
}

export function spkiSha256(pem: Buffer): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(spki).digest('base64')
}

function openssl(...args: string[]) {
  return {
    add(...more: string[]) {
      args.push(...more)
      return this
    },
    run() {
      execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    },
  }
}
