/**
 * The server `compare.ts` measures against, run in a child process so that none of its work is counted as the
 * client's: every request is answered with the same ~2 KB JSON body. It reports its port over IPC and exits when its
 * parent disconnects.
 */
import * as Http from "node:http"
import type * as Net from "node:net"

const run = {
  id: "run_abc123",
  object: "thread.run",
  created_at: 1699063290,
  assistant_id: "asst_abc123",
  thread_id: "thread_abc123",
  status: "completed",
  started_at: 1699063291,
  expires_at: null,
  cancelled_at: null,
  failed_at: null,
  completed_at: 1699063300,
  last_error: null,
  model: "gpt-4o",
  instructions: "You are a helpful assistant that answers questions about the weather. ".repeat(15),
  tools: [
    { type: "code_interpreter" },
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Determine the weather in a location",
        parameters: {
          type: "object",
          properties: { location: { type: "string", description: "The city and state, e.g. San Francisco, CA" } },
          required: ["location"]
        }
      }
    }
  ],
  metadata: { customer: "cus_123", plan: "pro" },
  usage: { prompt_tokens: 123, completion_tokens: 456, total_tokens: 579 },
  temperature: 1,
  top_p: 1,
  max_prompt_tokens: 1000,
  max_completion_tokens: 1000,
  truncation_strategy: { type: "auto", last_messages: null },
  response_format: "auto",
  tool_choice: "auto",
  parallel_tool_calls: true
}

const body = JSON.stringify(run)
const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) }

const server = Http.createServer({ keepAlive: true }, (request, response) => {
  request.resume()
  request.on("end", () => {
    response.writeHead(200, headers)
    response.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as Net.AddressInfo).port, bytes: Buffer.byteLength(body) })
})
process.on("disconnect", () => process.exit(0))
