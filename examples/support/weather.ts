/**
 * The weather tool the tool-calling examples give their assistant.
 */

/** The `get_weather` function tool, as the assistant sees it. */
export const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "The current weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"]
    }
  }
} as const
