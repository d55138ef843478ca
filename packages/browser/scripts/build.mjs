// Builds the SDK: the script-tag file (IIFE, minified), the ES modules and their type
// declarations. Prints the script's size and its Subresource Integrity hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = new URL('..', import.meta.url).pathname;
const common = { absWorkingDir: here, bundle: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };

rmSync(`${here}dist`, { recursive: true, force: true });
const iife = { ...common, format: 'iife', minify: true };
await build({ ...iife, entryPoints: ['src/script-tag.ts'], outfile: 'dist/session-log.min.js' });
await build({ ...iife, entryPoints: ['src/capture-tag.ts'], outfile: 'dist/session-log-capture.min.js' });
await build({ ...common, entryPoints: ['src/index.ts', 'src/scrub.ts'], outdir: 'dist', format: 'esm', platform: 'neutral' });
execFileSync(process.execPath, [new URL('../../../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', here], {
  stdio: 'inherit',
});

const script = readFileSync(`${here}dist/session-log.min.js`);
const integrity = `sha384-${createHash('sha384').update(script).digest('base64')}`;
console.log(`@session-log/browser: session-log.min.js ${script.length} B, ${gzipSync(script).length} B gzipped, ${integrity}`);
