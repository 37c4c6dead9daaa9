/**
 * The benchmark's Runs API: a plain `node:http` server with static payloads, run in its own process (see
 * `serverProcess.ts`) so that none of its work is counted as the client's. It reports its port over IPC and exits
 * when its parent disconnects.
 *
 * - `GET /v1/threads/{thread_id}/runs/{run_id}`: the spec's Run example;
 * - `POST /v1/threads/{thread_id}/runs/{run_id}`: the same run with the metadata sent;
 * - `GET /v1/threads/{thread_id}/runs`: a page of 100 runs;
 * - `POST /v1/threads/{thread_id}/runs` with `"stream": true`: the long event stream (`Fixtures.longStream`, ~2,000
 *   events, about 360 KB) as `text/event-stream`, in one write; without it, the run;
 * - runs of `thread_poll` report `in_progress` for the first 49 GETs of each run id, then `completed`.
 */
import * as http from "node:http"
import * as Fixtures from "./fixtures.js"

const inProgressText = JSON.stringify(Fixtures.runWith({ status: "in_progress", completed_at: null, usage: null }))
const pollCounts = new Map<string, number>()
let requests = 0

const send = (response: http.ServerResponse, status: number, body: string) => {
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "x-request-id": `req_${++requests}`,
    "openai-poll-after-ms": "0"
  })
  response.end(body)
}

/** A 200 without `content-length`: the body goes out chunked, in one piece. */
const sendChunked = (response: http.ServerResponse, body: string) => {
  response.writeHead(200, {
    "content-type": "application/json",
    "x-request-id": `req_${++requests}`,
    "openai-poll-after-ms": "0"
  })
  response.write(body)
  response.end()
}

const notFound = (response: http.ServerResponse) =>
  send(response, 404, JSON.stringify({ error: { message: "No such route", type: "invalid_request_error" } }))

const pollRun = (runId: string): string => {
  const count = (pollCounts.get(runId) ?? 0) + 1
  if (count < Fixtures.pollsToComplete) {
    pollCounts.set(runId, count)
    return inProgressText
  }
  pollCounts.delete(runId)
  return Fixtures.runText
}

/** Reads a JSON request body. */
const readJson = (request: http.IncomingMessage, use: (body: Record<string, unknown>) => void) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => use(JSON.parse(Buffer.concat(chunks).toString("utf8"))))
}

const modifyRun = (request: http.IncomingMessage, response: http.ServerResponse) =>
  readJson(request, ({ metadata }) => send(response, 200, JSON.stringify(Fixtures.runWith({ metadata }))))

const createRun = (request: http.IncomingMessage, response: http.ServerResponse) =>
  readJson(request, (body) => {
    if (body.stream !== true) return send(response, 200, Fixtures.runText)
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-request-id": `req_${++requests}`
    })
    response.end(Fixtures.longStream)
  })

const handle = (request: http.IncomingMessage, response: http.ServerResponse) => {
  const [path] = (request.url ?? "").split("?")
  const [, version, threads, threadId, runs, runId, ...rest] = path!.split("/")
  if (version !== "v1" || threads !== "threads" || runs !== "runs" || rest.length > 0) return notFound(response)
  if (runId === undefined) {
    if (request.method === "GET") return send(response, 200, Fixtures.pageText)
    return request.method === "POST" ? createRun(request, response) : notFound(response)
  }
  if (request.method === "POST") return modifyRun(request, response)
  if (request.method !== "GET") return notFound(response)
  if (threadId === Fixtures.chunkedThreadId) return sendChunked(response, Fixtures.runText)
  send(response, 200, threadId === Fixtures.pollThreadId ? pollRun(runId) : Fixtures.runText)
}

const server = http.createServer({ keepAlive: true }, handle)
server.keepAliveTimeout = 600_000
server.headersTimeout = 601_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  process.send?.({ port: typeof address === "object" && address !== null ? address.port : 0 })
})
process.on("disconnect", () => process.exit(0))
