import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'

const MAIN = new URL('../../apps/directory/src/main.ts', import.meta.url).pathname

export interface DemoLogin {
  role: string
  email: string
  password: string
}

export interface DirectoryInstance {
  port: number
  /** Demo accounts this start printed (only the first start on an empty database prints them). */
  demo: DemoLogin[]
  output(): string
  /** Resolves once the output so far satisfies `done` (checked at each write); rejects after `timeoutMs`. */
  waitForOutput(done: (output: string) => boolean, what: string, timeoutMs?: number): Promise<void>
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL: a crash, nothing flushed. */
  kill(): Promise<void>
}

/** `npm start` as its own process (the real `main.ts`), on `port`, with `env` on top of a quiet default. */
export async function startDirectoryInstance(
  port: number,
  env: Record<string, string>,
): Promise<DirectoryInstance> {
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      MOBILE_PORT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let text = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance on ${port} did not start: ${text}`)), 30_000)
    const check = () => {
      // main.ts prints the address and any demo accounts in one write.
      if (/listening on .*\n/.test(text)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`instance on ${port} exited with ${code}: ${text}`))
    })
  })
  const demo = [...text.matchAll(/demo (\w+) +(\S+) +password: (\S+)/g)].map(([, role, email, password]) => ({
    role: role as string,
    email: email as string,
    password: password as string,
  }))
  return {
    port,
    demo,
    output: () => text,
    waitForOutput(done, what, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!done(text)) return
          clearTimeout(timer)
          child.stdout?.off('data', check)
          child.stderr?.off('data', check)
          resolve()
        }
        const timer = setTimeout(() => {
          child.stdout?.off('data', check)
          child.stderr?.off('data', check)
          reject(new Error(`instance on ${port}: not ${what} within ${timeoutMs} ms`))
        }, timeoutMs)
        child.stdout?.on('data', check)
        child.stderr?.on('data', check)
        check()
      })
    },
    async stop() {
      // Already gone (exited, or killed by a signal): no second 'exit' will come to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const [code] = (await once(child, 'exit')) as [number | null]
      return code
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await once(child, 'exit')
    },
  }
}
