/**
 * The `tessera` admin CLI, to run as a program (`node TESSERA_CLI user add …`), the way an
 * operator does. The published bin is `dist/cli/main.js`, which needs a build; tests run from
 * source, so they start the source of the same program. This runs the CLI, it does not import it:
 * the one path into the server package's sources that the architecture test allows.
 */
export const TESSERA_CLI = new URL('../../packages/server/src/cli/main.ts', import.meta.url).pathname
