import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { cleanEnv, npmCommand, packPackages, REPO_ROOT } from '../../../scripts/pack-packages.ts'
import { readmeInstall, readmeSnippet } from './readme-snippets.ts'

const run = promisify(execFile)

// Not a `node22: npm:node@…` devDependency: both it and the `node` devDependency declare a
// `node` bin, and whichever npm links last becomes the workspace's node_modules/.bin/node.
/** The lowest Node the server's `engines` allows (`>=22.16` → `~22.16.0`), fetched as the `node` package from npm. */
export const LOWEST_NODE = lowestNode()

function lowestNode(): string {
  const manifest = JSON.parse(readFileSync(`${REPO_ROOT}packages/server/package.json`, 'utf8'))
  const floor = /^>=(\d+\.\d+)$/.exec(manifest.engines.node)?.[1]
  if (floor === undefined)
    throw new Error(`engines.node should be ">=major.minor", not ${manifest.engines.node}`)
  return `~${floor}.0`
}

/** One README adapter: its scratch app and the Node versions it runs on. */
export interface AdapterCase {
  name: string
  lowestNodeToo: boolean
}

export const ADAPTER_CASES: AdapterCase[] = [
  { name: 'fastify', lowestNodeToo: false },
  { name: 'express', lowestNodeToo: true },
  { name: 'hono', lowestNodeToo: false },
]

export interface ScratchApps {
  root: string
  /** adapter name → the app's folder, with server.mjs from the README and drive-app.mjs. */
  apps: Record<string, string>
  /** node binaries by label: `24` (this process's) and `22` (the lowest allowed). */
  nodes: Record<'24' | '22', string>
  remove(): void
}

async function npm(args: string[], cwd: string): Promise<void> {
  const command = npmCommand()
  await run(command.file, [...command.prefix, ...args], {
    cwd,
    env: cleanEnv(),
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
  })
}

const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']

/**
 * Packs both packages and installs them into one scratch app per adapter in the system's
 * temp folder (outside the workspace, so no workspace link can help), each with exactly the
 * README's install line (tarballs standing in for the registry); the lowest Node alongside.
 */
export async function prepareScratchApps(): Promise<ScratchApps> {
  const root = mkdtempSync(join(tmpdir(), 'tessera-consumer-'))
  try {
    const tarballs = await packPackages(root)
    const local: Record<string, string> = tarballs
    const apps: Record<string, string> = {}
    const installs = ADAPTER_CASES.map(async ({ name }) => {
      const dir = join(root, name)
      mkdirSync(dir)
      writeFileSync(
        join(dir, 'package.json'),
        `${JSON.stringify({ name: `${name}-app`, private: true }, null, 2)}\n`,
      )
      await npm([...INSTALL, ...readmeInstall(name).map((spec) => local[spec] ?? spec)], dir)
      writeFileSync(join(dir, 'server.mjs'), readmeSnippet(name, 'server'))
      copyFileSync(new URL('drive-app.mjs', import.meta.url), join(dir, 'drive-app.mjs'))
      apps[name] = dir
    })
    const typed = join(root, 'typescript')
    installs.push(installTypedApp(typed, local))
    apps.typescript = typed
    const nodeDir = join(root, 'node22')
    mkdirSync(nodeDir)
    writeFileSync(join(nodeDir, 'package.json'), '{"private":true}\n')
    installs.push(npm([...INSTALL, `node@${LOWEST_NODE}`], nodeDir))
    await Promise.all(installs)
    return {
      root,
      apps,
      nodes: { '24': process.execPath, '22': join(nodeDir, 'node_modules/node/bin/node') },
      remove: () => rmSync(root, { recursive: true, force: true }),
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true })
    throw error
  }
}

/** Both frameworks and their types beside the tarballs, for a strict type check of a TypeScript app. */
const TYPED_APP_PACKAGES = ['fastify', 'fastify-plugin', 'express', '@types/express', '@types/node@24']

async function installTypedApp(dir: string, tarballs: Record<string, string>): Promise<void> {
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), '{"name":"typed-app","private":true,"type":"module"}\n')
  await npm([...INSTALL, ...Object.values(tarballs), ...TYPED_APP_PACKAGES], dir)
  copyFileSync(new URL('typed-consumer.ts', import.meta.url), join(dir, 'app.ts'))
  const compilerOptions = {
    module: 'nodenext',
    target: 'es2022',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }))
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}

export interface RunningApp {
  baseUrl: string
  stop(): Promise<void>
}

/** Starts `node <script>` in the app folder and resolves once it prints "listening on <url>". */
export function startApp(
  node: string,
  dir: string,
  env: Record<string, string>,
  script = 'server.mjs',
): Promise<RunningApp> {
  const child = spawn(node, [script], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) resolve({ baseUrl: match[1], stop: () => stop(child) })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node <args>` in the app folder to its end (a failure is an answer, not a throw). */
export async function runNode(
  node: string,
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Finished> {
  try {
    const { stdout, stderr } = await run(node, args, { cwd: dir, env: cleanEnv(env), timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof failed.code === 'number' ? failed.code : null,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    }
  }
}
