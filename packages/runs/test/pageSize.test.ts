import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { checkPageSize, maxPageSize } from "../src/internal/paginate.js"

const page = (count: number) => ({
  value: {
    object: "list" as const,
    data: Array.from({ length: count }, (_, index) => index),
    first_id: null,
    last_id: null,
    has_more: false
  },
  status: 200,
  requestId: "req_page",
  attempts: 1
})

describe("a page holds at most what was asked for", () => {
  it("up to limit, and up to 100 without one", () => {
    expect(maxPageSize).toBe(100)
    expect(Either.isRight(checkPageSize(page(20), 20))).toBe(true)
    expect(Either.isRight(checkPageSize(page(100), undefined))).toBe(true)
    expect(Either.isRight(checkPageSize(page(0), 1))).toBe(true)
  })

  it("more is a ResponseDecodeError at data, with the answer's metadata", () => {
    expect(Either.getLeft(checkPageSize(page(21), 20))).toMatchObject({
      _tag: "Some",
      value: {
        _tag: "ResponseDecodeError",
        path: ["data"],
        message: "The page holds 21 items, more than the 20 asked for",
        status: 200,
        requestId: "req_page",
        attempts: 1
      }
    })
    expect(Either.isLeft(checkPageSize(page(101), undefined))).toBe(true)
    expect(Either.isLeft(checkPageSize(page(1_000_000), 1000))).toBe(true)
  })
})
