import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { freePort } from '../http/free-port.ts'
import { READY_PREFIX, type ReadyMessage } from '../load/bench-credential.ts'
import { createRequestSource } from '../load/create-request-source.ts'
import { EMPLOYEE_PATH } from '../servers/employee-7.ts'
import { sendRequests } from './send-requests.ts'

/**
 * `npm run instructions -w @tessera/bench -- <case> [<case> …] [--warm=30000] [--count=5000]`
 *
 * Machine instructions per request of a bench server, counted by Valgrind's callgrind: the
 * same figure on a busy machine as on a quiet one (within ~1 %), where req/s and even CPU µs
 * move by 30 %. Each server runs under callgrind with instrumentation off while `--warm`
 * requests let V8 optimise, then `--count` requests are counted. The main thread is reported
 * (JavaScript, Node's HTTP stack, SQLite, OpenSSL); the V8 compiler and concurrent GC threads
 * run behind, and Valgrind starves them, so they are reported apart. User space only: what
 * the kernel spends on the sockets is not in either figure, so these ratios are not req/s
 * ratios. Under Valgrind the server runs ~50 × slower, so anything timed (the credential
 * cache's 5 s TTL) happens ~50 × more often per request than at full speed.
 * The callgrind files stay in the directory printed, for `callgrind_annotate`.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { warm: { type: 'string', default: '30000' }, count: { type: 'string', default: '5000' } },
})
const warm = Number(values.warm)
const count = Number(values.count)
if (positionals.length === 0)
  throw new Error('name at least one case of bench/servers/, e.g. baseline tessera-session')
if (spawnSync('valgrind', ['--version']).status !== 0)
  throw new Error('valgrind is not installed (Debian: apt-get install valgrind)')

const PRELOAD = new URL('../servers/steady-tick-shape.ts', import.meta.url).pathname
const outDir = mkdtempSync(join(tmpdir(), 'tessera-instructions-'))
console.log('| case | instructions/request, main thread | compiler and GC threads |\n|---|---:|---:|')
for (const name of positionals) {
  const { main, background } = await countCase(name)
  console.log(
    `| ${name} | ${Math.round(main / count).toLocaleString('en')} | ${Math.round(background / count).toLocaleString('en')} |`,
  )
}
console.log(`\ncallgrind files: ${outDir}`)

async function countCase(name: string): Promise<{ main: number; background: number }> {
  const port = await freePort()
  const out = join(outDir, `${name}.callgrind`)
  const server = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${out}`,
      process.execPath,
      `--import=${PRELOAD}`,
      new URL(`../servers/${name}.ts`, import.meta.url).pathname,
    ],
    {
      cwd: outDir,
      env: { ...process.env, BENCH_PORT: String(port), NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  server.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  try {
    const ready = await readyLine(server, name).catch((error: Error) => {
      throw new Error(`${error.message}:\n${stderr}`)
    })
    const source = createRequestSource(
      { origin: `http://127.0.0.1:${port}`, path: EMPLOYEE_PATH },
      ready.credentials,
      warm + count,
    )
    process.stderr.write(`${name}: ${warm.toLocaleString('en')} requests to warm up… `)
    await sendRequests(port, source, warm)
    control(server, '--instr=on')
    control(server, '--zero')
    process.stderr.write(`${count.toLocaleString('en')} counted… `)
    await sendRequests(port, source, count)
    control(server, '--dump')
    process.stderr.write('done\n')
  } finally {
    server.kill('SIGTERM')
    await new Promise((resolve) => server.once('exit', resolve))
  }
  return readTotals(name)
}

function readyLine(server: ChildProcess, name: string): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)))
    createInterface({ input: server.stdout! }).on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyMessage)
    })
  })
}

function control(server: ChildProcess, command: string): void {
  const run = spawnSync('callgrind_control', [command, String(server.pid)], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`callgrind_control ${command} failed: ${run.stderr}`)
}

/** The dump (`<name>.callgrind.1-<thread>`, one file per thread; thread 01 is the main thread). */
function readTotals(name: string): { main: number; background: number } {
  let main = 0
  let background = 0
  for (const file of readdirSync(outDir).filter((f) => f.startsWith(`${name}.callgrind.1-`))) {
    const events = Number(/^summary: (\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'))?.[1] ?? 0)
    if (file.endsWith('-01')) main = events
    else background += events
  }
  // The start-up part (before the dump) is not wanted.
  for (const file of readdirSync(outDir).filter(
    (f) => f.startsWith(`${name}.callgrind`) && !f.includes('.1-'),
  ))
    rmSync(join(outDir, file))
  if (main === 0) throw new Error(`${name}: no callgrind dump of the main thread in ${outDir}`)
  return { main, background }
}
