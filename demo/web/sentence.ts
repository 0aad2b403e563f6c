// A built-in sentence with hand-made embeddings for panel 3. Keys say what a token is; queries
// what it looks for (weights summing to about 1 over the features). A last feature is a bias: every
// key has 1 there and every query −0.5, so a key that matches nothing scores −0.5 and a full match
// +0.5, before the queries are scaled by 6·peakiness (at peakiness 1.5, after 1/√D: ±1.5).
// "it" looks for an animate noun, and there are two (cat, mouse): the row a normaliser should keep
// multi-modal; "chased" looks for both its subject and its object.
const F = ["det", "noun", "verb", "animate", "pronoun", "adjective", "subject", "object", "bias"] as const;
type Feature = (typeof F)[number];
const vec = (f: Partial<Record<Feature, number>>) => F.map((name) => f[name] ?? 0);
const key = (f: Partial<Record<Feature, number>>) => vec({ ...f, bias: 1 });
const query = (f: Partial<Record<Feature, number>>) => vec({ ...f, bias: -0.5 });

export const TOKENS = ["the", "cat", "chased", "the", "mouse", "until", "it", "was", "tired"];

const KEYS = [
  key({ det: 1 }),
  key({ noun: 1, animate: 1, subject: 1 }),
  key({ verb: 1 }),
  key({ det: 1 }),
  key({ noun: 1, animate: 1, object: 1 }),
  key({ verb: 0.3 }),
  key({ pronoun: 1, subject: 1 }),
  key({ verb: 1 }),
  key({ adjective: 1 }),
];

const QUERIES = [
  query({ noun: 1 }),                                // the → its noun
  query({ det: 0.6, verb: 0.5 }),                    // cat → its article, its verb
  query({ subject: 0.5, object: 0.5 }),              // chased → who chased whom
  query({ noun: 1 }),                                // the → its noun
  query({ det: 0.6, verb: 0.5 }),                    // mouse → its article, its verb
  query({ verb: 1 }),                                // until → the clause's verb
  query({ noun: 0.45, animate: 0.45, subject: 0.1 }), // it → an animate noun: cat or mouse
  query({ pronoun: 0.6, subject: 0.4 }),             // was → its subject
  query({ pronoun: 0.5, animate: 0.5 }),             // tired → who is tired
];

export const D = F.length;

/** q and k, L × D row-major; the queries scaled by 6·peak. */
export function sentence(peak: number): { q: Float32Array; k: Float32Array } {
  const L = TOKENS.length, q = new Float32Array(L * D), k = new Float32Array(L * D);
  for (let i = 0; i < L; i++)
    for (let j = 0; j < D; j++) {
      q[i * D + j] = 6 * peak * QUERIES[i][j];
      k[i * D + j] = KEYS[i][j];
    }
  return { q, k };
}
