/**
 * A tracer that records every span, for assertions on names and attributes.
 */
import { Layer, Option, Tracer } from "effect"

/** A finished or running span as recorded. */
export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly events: Array<readonly [string, Record<string, unknown> | undefined]>
  status: Tracer.SpanStatus
}

/** A tracer layer and the spans it has seen. */
export const makeRecordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const recorded: RecordedSpan = { name, attributes: new Map(), events: [], status: { _tag: "Started", startTime } }
      spans.push(recorded)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span${spans.length}`,
        traceId: "trace1",
        parent,
        context,
        links,
        sampled: true,
        kind,
        get status() {
          return recorded.status
        },
        attributes: recorded.attributes,
        attribute(key, value) {
          recorded.attributes.set(key, value)
        },
        event(name, _startTime, attributes) {
          recorded.events.push([name, attributes])
        },
        addLinks() {},
        end(endTime, exit) {
          recorded.status = { _tag: "Ended", startTime, endTime, exit }
        }
      }
      return span
    },
    context: (f) => f()
  })
  return { spans, layer: Layer.setTracer(tracer), parentSpan: Option.none() }
}
