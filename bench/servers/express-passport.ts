import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import express from 'express'
import session from 'express-session'
import passport from 'passport'
import type { BenchCredential } from '../load/bench-credential.ts'
import { CREDENTIALS_PER_CASE, EMPLOYEE_7, EMPLOYEE_PATH } from './employee-7.ts'
import { runServerProcess } from './run-server-process.ts'

interface BenchUser {
  id: number
  name: string
}

const USERS = new Map<number, BenchUser>([[1, { id: 1, name: 'Bench User' }]])

/**
 * Peer case: Express 5 + express-session (its default MemoryStore — what the README starts
 * with; no database round trip, which favours this peer) + passport's session strategy.
 * Sessions are made by logging in through its own `POST /login` before the ready line.
 */
await runServerProcess(async (port) => {
  passport.serializeUser((user, done) => done(null, (user as BenchUser).id))
  passport.deserializeUser((id, done) => done(null, USERS.get(id as number) ?? false))
  const app = express()
  app.use(session({ secret: randomBytes(32).toString('hex'), resave: false, saveUninitialized: false }))
  app.use(passport.initialize())
  app.use(passport.session())
  app.post('/login', (req, res, next) => {
    req.login(USERS.get(1) as BenchUser, (error) => (error ? next(error) : res.json({ ok: true })))
  })
  app.get(EMPLOYEE_PATH, (req, res) => {
    if (!req.isAuthenticated()) return void res.status(401).json({ status: 401 })
    res.json(EMPLOYEE_7)
  })
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening))
  })
  const credentials: BenchCredential[] = []
  for (let i = 0; i < CREDENTIALS_PER_CASE; i++) credentials.push(await logIn(port))
  return {
    ready: { credentials },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
})

async function logIn(port: number): Promise<BenchCredential> {
  const response = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST' })
  const cookie = response.headers.get('set-cookie')?.split(';')[0]
  if (response.status !== 200 || cookie === undefined) throw new Error(`login answered ${response.status}`)
  return { kind: 'fixed', headers: { cookie } }
}
