import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { benchVerifySignature } from './verify-signature.bench.ts'

/** `npm run bench`: every benchmark, medians printed, raw figures kept under bench/results/. */
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`Tessera benchmarks on ${machine}\n`)
console.log(
  'Signed-request verification in the core, end to end (parse → digest → key lookup → verify → nonce insert, SQLite):',
)
const verify = await benchVerifySignature({ log: (line) => console.log(line) })
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const dir = new URL('./results/', import.meta.url)
mkdirSync(dir, { recursive: true })
writeFileSync(
  new URL(`verify-${stamp}.json`, dir),
  `${JSON.stringify({ machine, at: new Date().toISOString(), verify }, null, 2)}\n`,
)
console.log(`\nraw results: bench/results/verify-${stamp}.json`)
