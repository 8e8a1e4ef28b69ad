import { fileURLToPath } from 'node:url'
import { localCertificate } from './https/local-certificate.ts'

/**
 * `npm run dev:https`: the directory over HTTPS on https://localhost:3443 with a locally made
 * CA (data/dev-https/), so Chrome can bind the session to the device (DBSC). Prints how to
 * trust the CA, then starts as `npm start` does.
 */
const dir = fileURLToPath(new URL('../../../data/dev-https/', import.meta.url))
const certificate = localCertificate(dir)
const port = process.env.PORT || '3443'
process.env.PORT = port
process.env.HOST ||= 'localhost'
process.env.TLS_CERT_FILE = certificate.certFile
process.env.TLS_KEY_FILE = certificate.keyFile
const flags = 'DeviceBoundSessions,EnableBoundSessionCredentialsSoftwareKeysForManualTesting'
console.log(
  [
    `HTTPS with a local development CA: ${certificate.caCertFile}`,
    '  Trust it once in Chrome: Settings → Privacy and security → Security → Manage certificates →',
    '  Local certificates → Custom → Installed by you → Trusted certificates → Import that file.',
    '  Or, for one throwaway profile only, trust this server certificate by its key:',
    `    chrome --user-data-dir=/tmp/tessera-dbsc --ignore-certificate-errors-spki-list=${certificate.spkiSha256} \\`,
    `      --enable-features=${flags} https://localhost:${port}/`,
    '  (the --enable-features part only where Chrome has no hardware key store for DBSC, e.g. Linux).',
  ].join('\n'),
)
await import('./main.ts')
