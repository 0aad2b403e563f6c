/** How an error message shows a value the caller passed: short, and never the whole array. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v !== "object" && typeof v !== "function") return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return `a ${(v as object).constructor?.name ?? "object"}`;
}
