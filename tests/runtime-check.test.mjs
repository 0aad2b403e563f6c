// The runtime tests' checker can fail: check() against a deliberately wrong library (softmax
// returns a uniform row) reports those cases, and only those, as failures; checkLoads() reports a
// load that throws instead of throwing.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as real from "../dist/index.js";
import { check, checkLoads } from "./runtimes/check.js";
import { selectAttentionCases, selectCases, selectGradCases } from "./runtimes/select.mjs";

const cases = [...selectCases(), ...selectGradCases(), ...selectAttentionCases()];

function uniformSoftmax(target) {
  return new Proxy(target, {
    get(t, k) {
      if (k === "softmax") return (x, o) => new Float32Array(x.length).fill(1 / (o?.cols ?? x.length));
      const v = Reflect.get(t, k);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}

test("check() reports failures for a library whose softmax returns uniform rows", async () => {
  const engine = await real.init();
  const good = check(real, engine, cases);
  assert.equal(good.pass, good.total, "the real library passes (control)");

  const bad = check(uniformSoftmax(real), uniformSoftmax(engine), cases);
  const softmaxCases = cases.filter((c) => c.fn === "softmax").length;
  assert.ok(softmaxCases > 0);
  assert.ok(bad.fail > 0, "failures > 0");
  // some softmax references are (nearly) uniform rows themselves: those cases still pass
  assert.ok(bad.fail <= 2 * softmaxCases && bad.fail % 2 === 0, `${bad.fail} failures: softmax cases only, by engine and top level alike`);
  const big = cases.find((c) => c.fn === "softmax" && c.cols >= 32000);
  assert.ok(bad.failures.some((f) => f.includes(big.id)), "the 1x32000 softmax case fails");
  assert.equal(bad.pass, bad.total - bad.fail);
  assert.ok(bad.failures.length > 0 && bad.failures.every((f) => / softmax softmax:/.test(f)), bad.failures.join("\n"));
});

test("check() reports a wrong length and a throw; checkLoads() reports an init that throws", async () => {
  const engine = await real.init();
  const short = new Proxy(engine, { get: (t, k) => (k === "sparsemax" ? (x) => new Float32Array(x.length - 1) : Reflect.get(t, k).bind?.(t) ?? Reflect.get(t, k)) });
  const r = check(real, short, cases.filter((c) => c.fn === "sparsemax"));
  assert.ok(r.fail > 0 && r.failures.some((f) => /expected Float32Array/.test(f)), r.failures.join("\n"));

  const loads = await checkLoads(real, cases, [["broken", async () => { throw new Error("no wasm here"); }]]);
  assert.equal(loads.broken.pass, 0);
  assert.match(loads.broken.failures[0], /no wasm here/);
});
