import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { CredentialMint, type MintedKey, type MintedSession } from '../support/credential-mint.ts'
import { type FreshDatabase, freshDatabase } from '../support/databases.ts'
import { type DirectoryInstance, startDirectoryInstance } from '../support/directory-instance.ts'
import { type Throwaway, throwawayRedis } from '../support/throwaway-services.ts'
import { freePorts } from './free-ports.ts'
import { Cluster } from './scale-helpers.ts'

/** Either kind of credential, as the headers that present it on a request. */
export type Presented = MintedSession | MintedKey

/**
 * `count` directory instances on a fresh PostgreSQL database and a Redis server of their own
 * (so nothing is shared with other tests and Redis can be stopped or have its clients killed),
 * with a mint for credentials and the requests the revocation tests make.
 */
export class RevocationCluster {
  readonly cluster: Cluster
  readonly instances: DirectoryInstance[]
  readonly redis: Throwaway
  readonly mint: CredentialMint
  readonly env: Record<string, string>
  readonly #db: FreshDatabase

  private constructor(parts: {
    cluster: Cluster
    instances: DirectoryInstance[]
    redis: Throwaway
    mint: CredentialMint
    env: Record<string, string>
    db: FreshDatabase
  }) {
    this.cluster = parts.cluster
    this.instances = parts.instances
    this.redis = parts.redis
    this.mint = parts.mint
    this.env = parts.env
    this.#db = parts.db
  }

  static async start(count: number): Promise<RevocationCluster> {
    const ports = (await freePorts(count + 2)) as number[]
    const [publicPort, redisPort, ...instancePorts] = ports as [number, number, ...number[]]
    const redis = await throwawayRedis(redisPort)
    const db = await freshDatabase('postgres')
    const cluster = new Cluster(publicPort)
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      TESSERA_SECRET: randomBytes(32).toString('hex'),
      PUBLIC_ORIGIN: cluster.origin,
      THROTTLE_IP_ATTEMPTS: '100000',
    }
    const instances: DirectoryInstance[] = []
    try {
      // The first one migrates the database; the others start on it together.
      instances.push(await startDirectoryInstance(instancePorts[0] as number, env))
      instances.push(
        ...(await Promise.all(instancePorts.slice(1).map((port) => startDirectoryInstance(port, env)))),
      )
    } catch (error) {
      await Promise.all(instances.map((i) => i.stop()))
      await redis.destroy()
      await db.drop()
      throw error
    }
    const mint = CredentialMint.open(db.url, env.TESSERA_SECRET, cluster.origin)
    return new RevocationCluster({ cluster, instances, redis, mint, env, db })
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()))
    await this.mint.close()
    await this.redis.destroy()
    await this.#db.drop()
  }

  /** The headers presenting `credential` (signed afresh each time: a new nonce per request). */
  present(credential: Presented, method = 'GET', path = '/auth/me'): Array<[string, string]> {
    return 'cookie' in credential
      ? [['cookie', credential.cookie]]
      : this.cluster.signed(credential, method, path)
  }

  /** What each instance on `ports` answers to `GET /auth/me` with each credential, all at once. */
  async statuses(ports: number[], credentials: Presented[]): Promise<number[]> {
    const answers = ports.flatMap((port) =>
      credentials.map((c) => this.cluster.request(port, 'GET', '/auth/me', this.present(c))),
    )
    return (await Promise.all(answers)).map((answer) => answer.status)
  }

  /** Each credential used twice on each instance: from the second use on, it is served from memory. */
  async warm(ports: number[], credentials: Presented[]): Promise<void> {
    for (let use = 0; use < 2; use++) {
      const statuses = await this.statuses(ports, credentials)
      assert.deepEqual(statuses, Array(statuses.length).fill(200), 'every instance accepts it before')
    }
  }

  /** A state-changing request made with `session` (cookie, Origin and CSRF token), as a browser does. */
  asSession(port: number, session: MintedSession, method: string, path: string, body?: unknown) {
    const headers: Array<[string, string]> = [
      ['cookie', session.cookie],
      ['origin', this.cluster.origin],
      ['x-csrf-token', session.csrf],
    ]
    return this.cluster.request(port, method, path, headers, body)
  }

  /** A signed request made with `key`. */
  asKey(port: number, key: MintedKey, method: string, path: string) {
    return this.cluster.request(port, method, path, this.cluster.signed(key, method, path))
  }
}
