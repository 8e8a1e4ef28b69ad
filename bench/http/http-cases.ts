/** One server of the side-by-side table: `bench/servers/<id>.ts`. */
export interface HttpCase {
  id: string
  label: string
  group: 'baseline' | 'tessera' | 'peer'
}

/** Every case, in table order; the first is the baseline every ratio refers to. */
export const HTTP_CASES: readonly HttpCase[] = [
  { id: 'baseline', label: 'Fastify, no auth (baseline)', group: 'baseline' },
  { id: 'tessera-session', label: 'Tessera session cookie (SQLite)', group: 'tessera' },
  { id: 'tessera-hmac', label: 'Tessera HMAC-signed, nonce check (SQLite)', group: 'tessera' },
  { id: 'tessera-device', label: 'Tessera device key P-256, nonce check (SQLite)', group: 'tessera' },
  {
    id: 'tessera-device-ed25519',
    label: 'Tessera device key Ed25519, nonce check (SQLite)',
    group: 'tessera',
  },
  { id: 'tessera-pg-redis-session', label: 'Tessera session cookie (PostgreSQL + Redis)', group: 'tessera' },
  { id: 'tessera-pg-redis-hmac', label: 'Tessera HMAC-signed (PostgreSQL + Redis)', group: 'tessera' },
  { id: 'express-passport', label: 'Express 5 + express-session + passport', group: 'peer' },
  { id: 'hawk', label: 'Hawk server authentication (Fastify), no nonce check', group: 'peer' },
  { id: 'hawk-nonce', label: 'Hawk with a nonceFunc over an in-memory set (Fastify)', group: 'peer' },
  { id: 'minimal-hmac', label: 'Hand-written minimal HMAC + in-memory nonce set (Fastify)', group: 'peer' },
  { id: 'better-auth', label: 'Better Auth getSession (SQLite)', group: 'peer' },
]
