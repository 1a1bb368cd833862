import { AsyncLocalStorage } from "node:async_hooks";

// Structured JSON logs, one line per event. Never pass secrets in `fields`.
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Fields every line written while handling one HTTP request carries (its httpRequestId),
// set by lib/auth/gate.ts `route()` around the handler.
const context = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `fn` with `fields` added to every log line it writes, however deep. */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/**
 * Runs `fn` outside any request's log context. For background work started lazily during
 * a request (a queue's timers, say), which would otherwise carry that request's id forever.
 */
export function withoutLogContext<T>(fn: () => T): T {
  return context.exit(fn);
}

function threshold(): number {
  const l = (process.env.LOG_LEVEL ?? "info") as Level;
  return ORDER[l] ?? ORDER.info;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (ORDER[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...context.getStore(), ...fields });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
