import { Ajv, type ValidateFunction } from 'ajv'
import { type FieldError, type Problem, ProblemError } from '../errors.ts'
import { internals } from '../internals.ts'
import type { Tessera } from '../tessera.ts'
import type { Principal, RequestView } from '../types.ts'
import type { Endpoint, EndpointResult, JsonSchema } from './endpoint.ts'

export interface EndpointInput {
  request: RequestView
  body: unknown
  params: Record<string, string>
  query: Record<string, string | undefined>
}

// Strict, no coercion, nothing removed or defaulted: what was sent is what is judged.
const ajv = new Ajv({
  allErrors: false,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  strict: true,
})
const compiled = new WeakMap<JsonSchema, ValidateFunction>()

function validator(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema)
  if (fn === undefined) {
    fn = ajv.compile(schema)
    compiled.set(schema, fn)
  }
  return fn
}

function check(schema: JsonSchema | undefined, value: unknown, where: string): FieldError[] {
  if (schema === undefined) return []
  const validate = validator(schema)
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : ''
    const required = e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : ''
    return { path: `/${where}${e.instancePath}${extra}${required}`, message: e.message ?? 'is invalid' }
  })
}

/**
 * Runs one `/auth` endpoint, framework-free: validate → authenticate and check access
 * → handle. Expected failures come back as a Problem; store outages throw (adapters
 * answer 503).
 */
export async function runEndpoint(
  tessera: Tessera,
  endpoint: Endpoint,
  input: EndpointInput,
): Promise<EndpointResult | Problem> {
  try {
    const errors = [
      ...check(endpoint.params, input.params, 'params'),
      ...check(endpoint.query, input.query, 'query'),
      ...check(endpoint.body, input.body ?? (endpoint.method === 'GET' ? undefined : {}), 'body'),
    ]
    if (errors.length > 0) throw new ProblemError('validation_failed', { errors })
    const principal = await principalFor(tessera, endpoint, input.request)
    return await endpoint.handle({ tessera, ...input, principal, now: internals(tessera).now() })
  } catch (error) {
    if (error instanceof ProblemError) return error.toProblem()
    throw error
  }
}

const NOBODY = Object.freeze({}) as Principal

async function principalFor(tessera: Tessera, endpoint: Endpoint, request: RequestView): Promise<Principal> {
  if (endpoint.access === 'public') return NOBODY
  const outcome = await tessera.authenticate(request)
  const role = endpoint.access === 'admin' ? 'admin' : 'user'
  const principal = await tessera.guard(outcome, role, request, {
    ...(endpoint.recentAuth !== undefined && { recentAuth: endpoint.recentAuth }),
    ...(endpoint.allowUnenrolled && { allowUnenrolled: true }),
  })
  const type = principal.credential.type
  if (endpoint.access === 'session' && type !== 'session')
    throw new ProblemError('forbidden', { detail: 'needs a session' })
  if (endpoint.access === 'key' && type === 'session')
    throw new ProblemError('forbidden', { detail: 'needs a signed request' })
  return principal
}
