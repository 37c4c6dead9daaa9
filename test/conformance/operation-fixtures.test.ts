import { MessageRequest, Page, RunRequest, RunStep, ThreadRequest } from "@effect-openai/runs"
import { Run } from "@effect-openai/runs"
import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import { fixturePaths, readJsonFixture } from "../support/fixtures.js"

const decodes = <A, I>(schema: Schema.Schema<A, I>, json: unknown): A => {
  const result = Schema.decodeUnknownEither(schema)(json)
  if (Either.isLeft(result)) throw new Error(ParseResult.TreeFormatter.formatErrorSync(result.left))
  return result.right
}

const stepFixtures = fixturePaths(".json").filter((path) =>
  /(getRunStep|RunStepObject)/.test(path) && !/error/.test(path)
)
const listFixtures = fixturePaths(".response.json").filter((path) => /list(Runs|RunSteps)/.test(path))

describe("run step and list fixtures decode", () => {
  it("finds them", () => {
    expect(stepFixtures.length).toBeGreaterThanOrEqual(3)
    expect(listFixtures.length).toBeGreaterThanOrEqual(5)
  })

  for (const path of stepFixtures) {
    it(path, () => {
      const step = decodes(RunStep.RunStep, readJsonFixture(path))
      expect(step.object).toBe("thread.run.step")
    })
  }

  for (const path of listFixtures) {
    it(path, () => {
      const item = /listRunSteps/.test(path) ? RunStep.RunStep : Run.Run
      const page = decodes(Page.Page(item as Schema.Schema<unknown, any>), readJsonFixture(path))
      expect(page.object).toBe("list")
      if (page.data.length === 0) expect([page.first_id, page.last_id]).toEqual([null, null])
    })
  }

  it("real steps keep expires_at, and file search results their content", () => {
    const step = decodes(
      RunStep.RunStep,
      readJsonFixture("recorded-openai-dotnet/getRunStep.2025-10-30.file_search.include.response.json")
    )
    expect(step.expires_at).toBeNull()
    expect(step.metadata).toBeNull()
    const details = step.step_details
    expect(
      details.type === "tool_calls" && details.tool_calls[0]?.type === "file_search"
        ? details.tool_calls[0].file_search.results?.[0]?.content?.[0]?.text
        : undefined
    ).toContain("favorite foods")
  })
})

const requestSchemas: ReadonlyArray<readonly [RegExp, Schema.Schema<any, any>]> = [
  [/createThreadAndRun/, RunRequest.CreateThreadAndRunRequest],
  [/createRun/, RunRequest.CreateRunRequest],
  [/submitToolOu/, RunRequest.SubmitToolOutputsRequest],
  [/modifyRun/, RunRequest.ModifyRunRequest],
  [/createThread\./, ThreadRequest.CreateThreadRequest],
  [/modifyThread/, ThreadRequest.ModifyThreadRequest],
  [/createMessage/, MessageRequest.CreateMessageRequest],
  [/modifyMessage/, MessageRequest.ModifyMessageRequest]
]

/**
 * Requests the spec no longer allows: 2024 recordings sent `max_completion_tokens: 16`, which the server then
 * accepted; the spec (which we follow) requires at least 256, so the client refuses them before sending. And the
 * recorded invalid_type request is the one the server rejected.
 */
const refusedBySpec: ReadonlyArray<readonly [RegExp, string]> = [
  [/2024-04-29.*max|createRun\.2024-04-29|createRun\.stream\.2024-04-29/, "max_completion_tokens"],
  [/modifyRun\.2024-04-29\.error400\.invalid_type/, "metadata"]
]

describe("request fixtures: what the client sends matches what was recorded", () => {
  const paths = fixturePaths(".request.json")
  it("finds them", () => expect(paths.length).toBeGreaterThanOrEqual(15))

  for (const path of paths) {
    it(path, () => {
      const schema = requestSchemas.find(([pattern]) => pattern.test(path))?.[1]
      expect(schema, `no request schema for ${path}`).toBeDefined()
      const json = readJsonFixture(path)
      const result = Schema.decodeUnknownEither(schema!, { onExcessProperty: "error" })(json)
      const refused = refusedBySpec.find(([pattern]) => pattern.test(path))
      if (refused !== undefined) {
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) expect(String(result.left)).toContain(refused[1])
        return
      }
      if (Either.isLeft(result)) expect.fail(ParseResult.TreeFormatter.formatErrorSync(result.left))
      else expect(Schema.encodeSync(schema!)(result.right)).toEqual(json)
    })
  }
})
