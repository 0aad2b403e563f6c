// The checked-in copy of the golden reference data (tests/golden/, see its README.md):
//   1. always: every tests/golden/*.json.gz decompresses to bytes whose sha256 is the one in
//      tests/golden/SHA256SUMS (`sha256sum` format, over the uncompressed .json), the compressed
//      files and the manifest name exactly the same set, each file is a gzip made with -n (no name,
//      no time stamp, so that `gzip -9 -n` gives the same bytes again) and parses as the golden
//      schema (`num_cases` = number of cases);
//   2. when the upstream folder <repo>/../shared/golden exists: every .json there has a
//      byte-identical copy here and every copy here has its original there. Anything else there
//      that is not copied (other than its README.md, which tests/golden/README.md replaces) is a
//      failure too. Without that folder the comparison is skipped with the reason.
//
// Run: node --test tests/golden-copy.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { GOLDEN_DIR } from './golden.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HERE = fileURLToPath(GOLDEN_DIR);
const UPSTREAM = resolve(ROOT, '../shared/golden');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** The files of tests/golden/ that are not data (everything else must be a listed .json.gz). */
const NOT_DATA = new Set(['README.md', 'SHA256SUMS']);

/** SHA256SUMS as a Map name.json -> hex digest; throws on a malformed or repeated line. */
function manifest() {
  const sums = new Map();
  const text = readFileSync(resolve(HERE, 'SHA256SUMS'), 'utf8');
  assert.ok(text.endsWith('\n'), 'SHA256SUMS ends with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const m = /^([0-9a-f]{64}) [ *]([A-Za-z0-9_]+\.json)$/.exec(line);
    assert.ok(m, `SHA256SUMS: malformed line ${JSON.stringify(line)}`);
    assert.ok(!sums.has(m[2]), `SHA256SUMS: ${m[2]} listed twice`);
    sums.set(m[2], m[1]);
  }
  return sums;
}

/** tests/golden/<name>.json.gz decompressed. */
const copy = (name) => gunzipSync(readFileSync(resolve(HERE, `${name}.gz`)));

test('tests/golden: the .json.gz files are exactly those of SHA256SUMS, and each decompresses to its listed sha256', () => {
  const sums = manifest();
  assert.ok(sums.size > 0, 'SHA256SUMS lists no file');
  const entries = readdirSync(HERE).filter((f) => !NOT_DATA.has(f)).sort();
  const stray = entries.filter((f) => !f.endsWith('.json.gz'));
  assert.deepEqual(stray, [], 'tests/golden/ holds only README.md, SHA256SUMS and <name>.json.gz');
  assert.deepEqual(entries.map((f) => f.slice(0, -'.gz'.length)), [...sums.keys()].sort(),
    'the compressed files and SHA256SUMS name the same set');
  let bytes = 0, cases = 0;
  for (const [name, digest] of sums) {
    const gz = readFileSync(resolve(HERE, `${name}.gz`));
    // gzip header (RFC 1952): 1f 8b, CM 8, FLG without FNAME (0x08), MTIME 0: made with gzip -n
    assert.deepEqual([gz[0], gz[1], gz[2]], [0x1f, 0x8b, 8], `${name}.gz is a gzip (deflate) file`);
    assert.equal(gz[3] & 0x08, 0, `${name}.gz stores no file name (compress with gzip -9 -n)`);
    assert.equal(gz.readUInt32LE(4), 0, `${name}.gz stores no time stamp (compress with gzip -9 -n)`);
    const json = gunzipSync(gz);
    assert.equal(sha256(json), digest, `${name}: the sha256 of the decompressed copy differs from SHA256SUMS`);
    const data = JSON.parse(json.toString('utf8'));
    assert.equal(data.schema_version, 1, `${name}: schema_version`);
    assert.equal(data.function, name.slice(0, -'.json'.length), `${name}: function`);
    assert.equal(data.cases.length, data.num_cases, `${name}: num_cases`);
    bytes += json.length;
    cases += data.num_cases;
  }
  console.log(`tests/golden: ${sums.size} files, ${cases} cases, ${bytes} bytes uncompressed, every sha256 as listed`);
});

test('tests/golden is a byte-identical copy of ../shared/golden (every file both ways)', (t) => {
  if (!existsSync(UPSTREAM)) {
    t.skip(`not compared: ${UPSTREAM} (the upstream golden folder beside the repository) does not exist ` +
      'here; the copy was checked against SHA256SUMS only (the test above)');
    return;
  }
  const sums = manifest();
  const upstream = readdirSync(UPSTREAM).sort();
  const notCopied = upstream.filter((f) => f !== 'README.md' && !f.endsWith('.json'));
  assert.deepEqual(notCopied, [], `${UPSTREAM} holds files that tests/golden/ has no copy of`);
  const there = upstream.filter((f) => f.endsWith('.json'));
  const here = readdirSync(HERE).filter((f) => f.endsWith('.json.gz')).map((f) => f.slice(0, -'.gz'.length)).sort();
  assert.deepEqual(here, there, `the .json files of ${UPSTREAM} and the .json.gz files of tests/golden/ differ`);
  for (const name of there) {
    const original = readFileSync(resolve(UPSTREAM, name));
    const ours = copy(name);
    if (!original.equals(ours)) {
      let i = 0;
      while (i < original.length && i < ours.length && original[i] === ours[i]) i++;
      assert.fail(`${name}: the copy differs from ${resolve(UPSTREAM, name)} at byte ${i} ` +
        `(sizes ${ours.length} here, ${original.length} there): refresh it with ` +
        `gzip -9 -n -c ${resolve(UPSTREAM, name)} > tests/golden/${name}.gz and update SHA256SUMS`);
    }
    assert.equal(sha256(original), sums.get(name), `${name}: SHA256SUMS does not match ${UPSTREAM}`);
  }
  console.log(`tests/golden: all ${there.length} files are byte-identical to ${UPSTREAM}`);
});
