#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { TesseraConfigError } from '../core/config-error.ts'
import { type CliContext, openCliContext } from './cli-context.ts'
import { CliError } from './cli-error.ts'
import { invite, listInvites, uninvite } from './invite-commands.ts'
import { issueKeyFor, listKeys, revokeKey, tailAudit } from './key-commands.ts'
import { listPasskeys, removePasskey } from './passkey-commands.ts'
import {
  addUser,
  listUsers,
  parseRole,
  resetPassword,
  revokeAll,
  setDisabled,
  setRole,
} from './user-commands.ts'

const USAGE = `tessera: administer users, keys and the audit trail (same DATABASE_URL / TESSERA_SECRET as the server)

  tessera user add <email> --name <name> [--role user|admin] [--password-stdin]
  tessera user invite <email> --name <name> [--role user|admin]   mail a 7-day link to set a password
  tessera user invitations            tessera user uninvite <invitation-id>
  tessera user list
  tessera user role <email> <user|admin>
  tessera user disable <email>        tessera user enable <email>
  tessera user reset-password <email> [--password-stdin]
  tessera user revoke <email>         revoke every session and key of the user
  tessera key issue <email> [--label <text>]   an HMAC key for an existing account
  tessera key list <email>
  tessera key revoke <credential-id>
  tessera passkey list <email>
  tessera passkey remove <email> <passkey-id>
  tessera audit tail [--limit N] [--follow]

Without --password-stdin a strong password is generated and printed once.`

const OPTIONS = {
  name: { type: 'string' },
  role: { type: 'string', default: 'user' },
  label: { type: 'string', default: 'cli' },
  limit: { type: 'string', default: '20' },
  follow: { type: 'boolean', default: false },
  'password-stdin': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

function need(value: string | undefined, what: string): string {
  if (!value) throw new CliError(`missing ${what}\n\n${USAGE}`)
  return value
}

async function dispatch(
  ctx: CliContext,
  [group, command, arg, arg2]: string[],
  values: Values,
): Promise<void> {
  const password = values['password-stdin'] ? await readStdin() : undefined
  const email = () => need(arg, '<email>')
  switch (`${group} ${command}`) {
    case 'user add':
      return void (await addUser(ctx, email(), need(values.name, '--name'), parseRole(values.role), password))
    case 'user invite':
      return invite(ctx, email(), need(values.name, '--name'), parseRole(values.role))
    case 'user invitations':
      return listInvites(ctx)
    case 'user uninvite':
      return uninvite(ctx, need(arg, '<invitation-id>'))
    case 'user list':
      return listUsers(ctx)
    case 'user role':
      return setRole(ctx, email(), parseRole(arg2))
    case 'user disable':
      return setDisabled(ctx, email(), true)
    case 'user enable':
      return setDisabled(ctx, email(), false)
    case 'user reset-password':
      return resetPassword(ctx, email(), password)
    case 'user revoke':
      return revokeAll(ctx, email())
    case 'key issue':
      return issueKeyFor(ctx, email(), values.label)
    case 'key list':
      return listKeys(ctx, email())
    case 'key revoke':
      return revokeKey(ctx, need(arg, '<credential-id>'))
    case 'passkey list':
      return listPasskeys(ctx, email())
    case 'passkey remove':
      return removePasskey(ctx, email(), need(arg2, '<passkey-id>'))
    case 'audit tail': {
      const limit = Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError('--limit must be 1..1000')
      const stop = new AbortController()
      process.once('SIGINT', () => stop.abort())
      return tailAudit(ctx, limit, values.follow, stop.signal)
    }
    default:
      throw new CliError(USAGE)
  }
}

export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    out(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (parsed.values.help || parsed.positionals.length === 0) {
    out(USAGE)
    return parsed.values.help ? 0 : 2
  }
  const ctx = await openCliContext(env, out)
  try {
    await dispatch(ctx, parsed.positionals, parsed.values)
    return 0
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    out(`error: ${error.message}`)
    return 2
  } finally {
    await ctx.close()
  }
}

/** `import.meta.main` arrived in Node 22.18; the bin also runs on 22.16, through node_modules/.bin's symlink. */
function isEntryPoint(): boolean {
  const entry = process.argv[1]
  return entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url)
}

if (isEntryPoint()) {
  try {
    process.exitCode = await runCli(process.argv.slice(2), process.env, (line) => console.log(line))
  } catch (error) {
    // A setting to fix (DATABASE_URL, REDIS_URL, TESSERA_SECRET, a driver to install): its one line, no stack.
    if (!(error instanceof TesseraConfigError)) throw error
    console.error(error.message)
    process.exitCode = 2
  }
}
