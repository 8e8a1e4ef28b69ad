// The few parts of the peers' untyped packages that the bench uses (no @types packages are installed).

declare module 'hawk' {
  import type { IncomingMessage } from 'node:http'

  interface HawkCredentials {
    id?: string
    key: string
    algorithm: 'sha1' | 'sha256'
  }
  const Hawk: {
    server: {
      authenticate(
        request: IncomingMessage,
        credentials: (id: string) => Promise<HawkCredentials | undefined>,
        options?: { nonceFunc?: (key: string, nonce: string, ts: number) => Promise<void> },
      ): Promise<{ credentials: HawkCredentials; artifacts: unknown }>
    }
    client: {
      header(
        uri: string,
        method: string,
        options: { credentials: HawkCredentials & { id: string } },
      ): { header: string }
    }
  }
  export default Hawk
}

declare module 'express-session' {
  import type { RequestHandler } from 'express'
  export default function session(options: {
    secret: string
    resave: boolean
    saveUninitialized: boolean
  }): RequestHandler
}

declare module 'passport' {
  import type { RequestHandler } from 'express'

  type Done = (error: unknown, value?: unknown) => void
  const passport: {
    initialize(): RequestHandler
    session(): RequestHandler
    serializeUser(fn: (user: unknown, done: Done) => void): void
    deserializeUser(fn: (id: unknown, done: Done) => void): void
  }
  export default passport
}

declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface AutocannonClient extends EventEmitter {
    getRequestBuffer(): Buffer
  }
  interface AutocannonOptions {
    url: string
    connections?: number
    duration?: number
    pipelining?: number
    timeout?: number
    overallRate?: number
    setupClient?: (client: AutocannonClient) => void
  }
  interface AutocannonResult {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
    requests: { total: number; average: number; sent: number }
  }
  interface Instance extends EventEmitter, PromiseLike<AutocannonResult> {
    stop(): void
  }

  export type { AutocannonClient, AutocannonOptions, AutocannonResult }
  export default function autocannon(options: AutocannonOptions): Instance
}
