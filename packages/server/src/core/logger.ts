import type { BaseLogger } from 'pino'

/** The part of a pino logger (or Fastify's `app.log`) Tessera writes to. */
export type TesseraLogger = Pick<BaseLogger, 'info' | 'warn' | 'error'>
