// The engine of the last successful init()/initSync(), which the top-level functions use
// (internal: shared by load.ts and api.ts, exported by neither entry).
import { checkExports, Engine } from "./engine.js";

let lastEngine: Engine | null = null;
let lastError: unknown = null;
let started = 0; // init()/initSync() calls started: the latest one decides the top level

/** A ticket for one init()/initSync() call: when several overlap, the top-level functions follow
 *  the call that started last, whatever order they finish in. */
export function begin(): number {
  return ++started;
}

export function settle(instance: { exports: object }, ticket: number): Engine {
  const engine = new Engine(checkExports(instance.exports as Record<string, unknown>));
  if (ticket === started) {
    lastEngine = engine;
    lastError = null;
  }
  return engine;
}

export function fail(e: unknown, ticket: number): never {
  if (ticket === started) {
    lastEngine = null;
    lastError = e;
  }
  throw e;
}

export function current(name: string): Engine {
  if (lastEngine !== null) return lastEngine;
  if (lastError !== null)
    throw new TypeError(`${name}: the engine is unusable because init() failed (${lastError instanceof Error ? lastError.message : String(lastError)}); call init() again`);
  throw new TypeError(`${name}: no engine yet: await init() (or call initSync()) first`);
}

