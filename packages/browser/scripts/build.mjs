// Builds the SDK: the script-tag files (IIFE: bundled by esbuild, then minified by
// terser, whose extra passes keep the script under its 2 KB budget), the ES modules and
// their type declarations. Prints the script's size and its Subresource Integrity hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minify } from 'terser';

const here = new URL('..', import.meta.url).pathname;
const common = { absWorkingDir: here, bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning' };

rmSync(`${here}dist`, { recursive: true, force: true });
mkdirSync(`${here}dist`);
for (const [entry, file] of [
  ['src/script-tag.ts', 'dist/session-log.min.js'],
  ['src/capture-tag.ts', 'dist/session-log-capture.min.js'],
]) {
  const bundled = await build({ ...common, entryPoints: [entry], format: 'iife', minify: true, write: false });
  // unsafe: our code never relies on patched builtins; booleans as 0/1: no boolean literal reaches an event.
  const compress = { passes: 3, toplevel: true, unsafe: true, unsafe_arrows: true, booleans_as_integers: true, pure_getters: true };
  const { code } = await minify(bundled.outputFiles[0].text, { ecma: 2022, compress, mangle: { toplevel: true } });
  // The bundle needs no strict-mode directive, and the 2 KB script has no byte to spare.
  writeFileSync(`${here}${file}`, code.replace(/^"use strict";/, ''));
}
await build({ ...common, entryPoints: ['src/index.ts', 'src/scrub.ts'], outdir: 'dist', format: 'esm', platform: 'neutral' });
execFileSync(process.execPath, [new URL('../../../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', here], {
  stdio: 'inherit',
});

const script = readFileSync(`${here}dist/session-log.min.js`);
const integrity = `sha384-${createHash('sha384').update(script).digest('base64')}`;
console.log(`@session-log/browser: session-log.min.js ${script.length} B, ${gzipSync(script, { level: 9 }).length} B gzipped, ${integrity}`);
