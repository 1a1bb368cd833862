import { describe, expect, it } from "vitest";
import { loggableError } from "./loggable-error";

describe("what an unexpected error leaves in the log", () => {
  it("keeps only class, code and first line of a Prisma error, never the quoted arguments", () => {
    const err = Object.assign(
      new Error('\nInvalid `prisma.runnerRequest.update()` invocation:\n\n{ data: { privateKeyCiphertext: "v1:abc:def:SECRETBODY", spec: {...} } }\n\nValue out of range'),
      { name: "PrismaClientKnownRequestError", code: "P2020" },
    );
    const logged = JSON.stringify(loggableError(err));
    expect(logged).not.toContain("SECRETBODY");
    expect(logged).not.toContain("privateKeyCiphertext");
    expect(loggableError(err)).toEqual({ error: "PrismaClientKnownRequestError", code: "P2020", firstLine: "Invalid `prisma.runnerRequest.update()` invocation:" });
  });

  it("keeps message and stack of other errors", () => {
    const err = new TypeError("x is not a function");
    expect(loggableError(err)).toMatchObject({ error: "x is not a function", stack: expect.stringContaining("TypeError") });
  });
});
