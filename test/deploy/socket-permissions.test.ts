import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

/** The users of the recipe: the instances' user, the proxy's (Debian nginx: www-data), anyone else. */
function uid(name: string): number | undefined {
  try {
    return Number(execFileSync('id', ['-u', name]).toString())
  } catch {
    return undefined
  }
}
const INSTANCE_USER = uid('daemon')
const PROXY_USER = uid('www-data')
const OTHER_USER = uid('nobody')
const skip =
  process.getuid?.() !== 0 ||
  INSTANCE_USER === undefined ||
  PROXY_USER === undefined ||
  OTHER_USER === undefined
    ? 'needs root and the users daemon, www-data and nobody to play instance, proxy and stranger'
    : false

/** What `node -e` as `user` says when it opens the socket: `connected` or the error code. */
async function connectAs(user: number, socket: string): Promise<string> {
  const code = `require('node:net').connect(process.env.SOCKET)
    .on('connect', () => { console.log('connected'); process.exit(0) })
    .on('error', (e) => { console.log(e.code); process.exit(0) })`
  const child = spawn(process.execPath, ['-e', code], {
    uid: user,
    gid: user,
    env: { SOCKET: socket },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  await once(child, 'exit')
  return out.trim()
}

/**
 * docs/deploy.md's recipe for "only the proxy reaches the instances" on one host: a setgid
 * directory `2750 <instance user> www-data` and the instances' `UMask=0007`. A process
 * listening there as the instance user (the same `listen(path)` Fastify does) gets a socket
 * nginx's user may open and no one else may.
 */
test('a socket in the setgid run directory opens for the proxy user only', {
  skip,
  timeout: 30_000,
}, async () => {
  const root = mkdtempSync(join(tmpdir(), 'tessera-perm-'))
  chmodSync(root, 0o711)
  const run = join(root, 'tessera')
  mkdirSync(run)
  chownSync(run, INSTANCE_USER as number, PROXY_USER as number)
  chmodSync(run, 0o2750)
  const socket = join(run, 'a.sock')
  let instance: ChildProcess | undefined
  try {
    // As systemd would start it: the unit's user and UMask=0007.
    const listen = `require('node:net').createServer((s) => s.end()).listen(process.env.SOCKET, () => console.log('listening'))`
    instance = spawn(
      'sh',
      ['-c', `umask 0007; exec "${process.execPath}" -e "${listen.replaceAll('"', '\\"')}"`],
      {
        uid: INSTANCE_USER as number,
        gid: INSTANCE_USER as number,
        env: { SOCKET: socket },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const [chunk] = (await once(instance.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
    assert.equal(chunk.toString().trim(), 'listening')
    const stats = statSync(socket)
    assert.equal(stats.mode & 0o777, 0o770, 'srwxrwx---')
    assert.deepEqual(
      [stats.uid, stats.gid],
      [INSTANCE_USER, PROXY_USER],
      'owned by the instance user, group www-data',
    )
    assert.equal(await connectAs(PROXY_USER as number, socket), 'connected')
    assert.equal(await connectAs(OTHER_USER as number, socket), 'EACCES')
  } finally {
    if (instance !== undefined && instance.exitCode === null) {
      const exited = once(instance, 'exit')
      instance.kill('SIGKILL')
      await exited
    }
    rmSync(root, { recursive: true, force: true })
  }
})
