import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitForPort } from '../support/throwaway-services.ts'

export const NGINX = '/usr/sbin/nginx'

export function nginxInstalled(): boolean {
  return existsSync(NGINX)
}

export interface NginxProcess {
  pid: number
  /** Fast shutdown (SIGTERM to the master, which stops its workers), waiting for the exit. */
  stop(): Promise<void>
}

/**
 * The main configuration around a server block: everything nginx would otherwise write under
 * the system's paths (pid, logs, temp files) goes to `dir`. As root the workers run as root too,
 * so that they may open the test's sockets in its private temp dir.
 */
function mainConfig(dir: string, serverBlock: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${join(dir, `${kind}_temp`)};`)
    .join('\n')
  return `${process.getuid?.() === 0 ? 'user root;\n' : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
${temp}
${serverBlock}
}
`
}

/**
 * Debian's nginx as a process of the test's own (own prefix, config, pid and logs in `dir`),
 * serving `serverBlock`; resolves once it accepts connections on `port` (127.0.0.1).
 */
export async function startNginx(dir: string, serverBlock: string, port: number): Promise<NginxProcess> {
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'nginx.conf')
  writeFileSync(config, mainConfig(dir, serverBlock))
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', config, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = once(child, 'exit').then(() => {
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''
    throw new Error(`nginx exited at start: ${stderr}${log}`)
  })
  try {
    await Promise.race([waitForPort(port, 15_000), exited])
  } catch (error) {
    if (child.exitCode === null) child.kill('SIGKILL')
    throw error
  }
  exited.catch(() => {})
  return {
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const done = once(child, 'exit')
      child.kill('SIGTERM')
      await done
    },
  }
}
