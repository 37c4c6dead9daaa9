import { describe, expect, it } from "@effect/vitest"
import { Effect, TestServices } from "effect"
import { transports } from "../support/transports.js"
import { soak } from "./soak.js"

describe("soak (short)", () => {
  for (const transport of transports) {
    it.effect(
      `over ${transport.name}: 400 mixed operations at concurrency 16 with 10 % faults: no defect, nothing lost, nothing left open`,
      () =>
        TestServices.provideLive(Effect.gen(function*() {
          const report = yield* soak({ operations: 400, concurrency: 16, faultRate: 0.1, http: transport.layer })
          expect(report.defects).toBe(0)
          expect(report.lost).toBe(0)
          expect(report.faultsInjected).toBeGreaterThan(20)
          expect(report.retries).toBeGreaterThan(0)
          expect(report.succeeded).toBeGreaterThan(350)
          expect(report.socketsAfterClose).toBe(0)
          expect(report.handlesAfterClose).toBeLessThanOrEqual(0)
          expect(report.heapMb.after - report.heapMb.before).toBeLessThan(30)
        })),
      60_000
    )
  }
})
