import { execFile } from 'node:child_process'
import { createHash, randomBytes, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePorts } from '../scale-out/free-ports.ts'
import { type FreshDatabase, freshDatabase } from '../support/databases.ts'
import { type DirectoryInstance, startDirectoryInstance } from '../support/directory-instance.ts'
import { TESSERA_CLI } from '../support/tessera-cli.ts'
import { type Throwaway, throwawayRedis } from '../support/throwaway-services.ts'
import { adaptNginxBlock } from './docs-nginx-block.ts'
import { type NginxProcess, startNginx } from './nginx-process.ts'

const run = promisify(execFile)
const MAKE_CERT = new URL('../../scripts/make-local-cert.sh', import.meta.url).pathname

/** The docs' name, kept: clients connect to 127.0.0.1 and say this name (SNI, Host). */
export const PUBLIC_NAME = 'directory.example.com'

export interface Tls {
  /** PEM of the throwaway CA, for Node clients. */
  ca: string
  certificate: string
  certificateKey: string
  /** Base64 SHA-256 of the certificate's SPKI, for `--ignore-certificate-errors-spki-list`. */
  spki: string
}

/** A throwaway CA and certificate for PUBLIC_NAME, made by the script docs/deploy.md offers. */
export async function makeTls(dir: string): Promise<Tls> {
  const { stdout } = await run('bash', [MAKE_CERT, dir, PUBLIC_NAME], { timeout: 20_000 })
  const certificate = join(dir, `${PUBLIC_NAME}.pem`)
  const spki = new X509Certificate(readFileSync(certificate)).publicKey.export({
    type: 'spki',
    format: 'der',
  })
  const spkiHash = createHash('sha256').update(spki).digest('base64')
  if (stdout.trim() !== spkiHash) throw new Error(`the script printed ${stdout.trim()}, expected ${spkiHash}`)
  return {
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    certificate,
    certificateKey: join(dir, `${PUBLIC_NAME}.key`),
    spki: spkiHash,
  }
}

/** The shared stores and certificate one test file's deployments use. */
export interface Backing {
  dir: string
  tls: Tls
  db: FreshDatabase
  redis: Throwaway
  close(): Promise<void>
}

export async function startBacking(): Promise<Backing> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-deploy-'))
  let db: FreshDatabase | undefined
  try {
    const [redisPort] = (await freePorts(1)) as [number]
    const tls = await makeTls(join(dir, 'tls'))
    db = await freshDatabase('postgres')
    const redis = await throwawayRedis(redisPort)
    const shared = db
    return {
      dir,
      tls,
      db: shared,
      redis,
      async close() {
        await redis.destroy()
        await shared.drop()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await db?.drop()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

export interface Deployment {
  origin: string
  /** `Host` as browsers send it: the name, plus the port unless it is 443. */
  authority: string
  httpsPort: number
  httpPort: number
  socketDir: string
  instances: DirectoryInstance[]
  /** The docs' nginx block, or a mutation of it, in front of the instances; replaces a running one. */
  proxy(block: string): Promise<void>
  close(): Promise<void>
}

/**
 * Two instances as docs/deploy.md sets them up (production, Unix sockets, TRUST_PROXY=true,
 * PostgreSQL + Redis), with `PUBLIC_ORIGIN` on `httpsPort`; no proxy until `proxy()`.
 */
export async function startInstances(
  backing: Backing,
  httpsPort: number,
  httpPort: number,
): Promise<Deployment> {
  const authority = httpsPort === 443 ? PUBLIC_NAME : `${PUBLIC_NAME}:${httpsPort}`
  const origin = `https://${authority}`
  const socketDir = mkdtempSync(join(backing.dir, 'run-'))
  const env = {
    NODE_ENV: 'production',
    TRUST_PROXY: 'true',
    PUBLIC_ORIGIN: origin,
    DATABASE_URL: backing.db.url,
    REDIS_URL: backing.redis.url,
    TESSERA_SECRET: randomBytes(32).toString('hex'),
    OPEN_REGISTRATION: 'false',
    // Required in production (docs/deploy.md); nothing here sends mail, and a send would be refused at once.
    SMTP_URL: 'smtp://127.0.0.1:1',
    MAIL_FROM: 'Directory <no-reply@directory.example>',
    MOBILE_PORT: 'off',
  }
  const instances: DirectoryInstance[] = []
  let nginx: NginxProcess | undefined
  const close = async () => {
    await nginx?.stop()
    await Promise.all(instances.map((instance) => instance.stop()))
  }
  try {
    for (const name of ['a', 'b']) {
      instances.push(await startDirectoryInstance(0, { ...env, HOST: join(socketDir, `${name}.sock`) }))
    }
  } catch (error) {
    await close()
    throw error
  }
  return {
    origin,
    authority,
    httpsPort,
    httpPort,
    socketDir,
    instances,
    async proxy(block) {
      await nginx?.stop()
      const local = { httpsPort, httpPort, socketDir, ...backing.tls }
      nginx = await startNginx(
        mkdtempSync(join(backing.dir, 'nginx-')),
        adaptNginxBlock(block, local),
        httpsPort,
      )
    },
    close,
  }
}

/** `tessera user add` (what the docs' checklist says admins do): the generated password. */
export async function addUser(backing: Backing, email: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [TESSERA_CLI, 'user', 'add', email, '--name', 'Deploy Test'],
    {
      env: { ...process.env, DATABASE_URL: backing.db.url },
      timeout: 20_000,
    },
  )
  const password = /password \(shown once\): (\S+)/.exec(stdout)?.[1]
  if (password === undefined) throw new Error(`no password in: ${stdout}`)
  return password
}

/** Whether this process may listen on 127.0.0.1:`port` right now (ports under 1024 need root). */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}
