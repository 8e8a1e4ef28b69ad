import autocannon, { type AutocannonClient } from 'autocannon'
import { createRequestSource } from './create-request-source.ts'
import { LatencyRecorder } from './latency-recorder.ts'
import { type LoadJob, type LoadResult, RESULT_PREFIX, START_LINE } from './load-job.ts'

/**
 * The load generator, a process of its own (`node load-generator.ts '<LoadJob json>'`), so
 * it never shares an event loop with the server it measures. It prepares its requests, then
 * drives autocannon, feeding each connection's next request from the prepared source through
 * `setupClient` (one pre-built buffer per request, so a signed request costs the generator
 * what a cookie request does), and prints `START` then `RESULT {json}`.
 */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] as string) as LoadJob
  const source = createRequestSource({ origin: job.origin, path: job.path }, job.credentials, job.poolSize)
  const latencies = new LatencyRecorder()
  const setupClient = (client: AutocannonClient) => {
    client.getRequestBuffer = () => source.take()
    client.on('response', (_status: number, _bytes: number, ms: number) => latencies.record(ms))
  }
  process.stdout.write(`${START_LINE}\n`)
  const cpu = process.cpuUsage()
  const started = performance.now()
  const result = await autocannon({
    url: `${job.origin}${job.path}`,
    connections: job.connections,
    duration: job.durationS,
    pipelining: 1,
    timeout: 10,
    ...(job.overallRate !== undefined && { overallRate: job.overallRate }),
    setupClient,
  })
  const wallS = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const [p50, p90, p99, max] = latencies.percentiles(50, 90, 99, 100) as [number, number, number, number]
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]))
  const out: LoadResult = {
    responses: latencies.count,
    durationS: result.duration,
    requestsPerSecond: latencies.count / result.duration,
    p50Ms: p50,
    p90Ms: p90,
    p99Ms: p99,
    maxMs: max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    generatorCores: (used.user + used.system) / 1e6 / wallS,
    prepared: source.prepared,
    signedLive: source.signedLive,
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(out)}\n`)
}

await main()
