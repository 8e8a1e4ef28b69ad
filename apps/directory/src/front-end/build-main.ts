import { ensureFrontEnds } from './build-front-ends.ts'

/** `npm run build -w @tessera/directory`: builds the web app and the mobile client if they are out of date. */
ensureFrontEnds({ log: (line) => console.log(line) }).then(
  (dirs) => console.log(`front-ends ready: ${dirs.web}, ${dirs.mobile}`),
  (error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  },
)
