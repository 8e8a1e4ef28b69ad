/**
 * The internal accessor of a Tessera, for tests (the demo's end-to-end tests among them) that
 * look at stores directly; apps/ may import Tessera only through public entry points.
 */
export { internals } from '../../packages/server/src/core/internals.ts'
