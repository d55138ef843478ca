// Runs every test/**/*.test.ts file through node:test with tsx. Listing the files
// ourselves matters: on Node 20, `--test <dir>` and quoted globs silently find none.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2] ?? 'test';
const files = readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
  .map((entry) => path.join(entry.parentPath, entry.name))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${root}/`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
