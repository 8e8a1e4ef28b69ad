import { createHook } from 'node:async_hooks'

/**
 * Preloaded into every bench server (`--import`), before anything else runs: keeps one of
 * Node's `process.nextTick` queue entries alive for the life of the process.
 *
 * Why: Node builds each entry as an object literal with computed symbol keys
 * (`lib/internal/process/task_queues.js`). While no entry is alive, a full garbage collection
 * frees the hidden class the literal starts from, the next entry gets a new one, and after
 * enough full collections the literal's inline cache goes megamorphic: from then on every
 * `nextTick` defines its properties in the V8 runtime, 6–8 × slower (~60 → ~450 ns; Node
 * 24.x calls it 7 times per HTTP response). Whether a server crosses that line depends on how
 * many full collections its warm-up happened to need, so without this one process of a case
 * could run 30 % slower than the next for reasons that have nothing to do with what it
 * authenticates (docs/benchmarks.md, "Node's nextTick and full collections"). With one entry
 * kept, the class is never freed and every server measures in the same state.
 */
let kept: object | undefined
const hook = createHook({
  init(_id, type, _trigger, resource) {
    if (type === 'TickObject' && kept === undefined) kept = resource as object
  },
}).enable()
process.nextTick(() => {})
hook.disable()
if (kept === undefined) throw new Error('steady-tick-shape: no TickObject seen; Node changed its internals')
;(globalThis as { __benchKeptTick?: object }).__benchKeptTick = kept
