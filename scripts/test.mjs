// `npm test`: install what is missing, run the unit tests (Node) and the e2e tests (Chromium),
// and exit non-zero when anything fails.
import { spawnSync, execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execSync('node scripts/ensure-install.mjs', { cwd: root, stdio: 'inherit' });
const unit = spawnSync('npx', ['vitest', 'run'], { cwd: root, stdio: 'inherit' });
const e2e = spawnSync('node', ['scripts/e2e.mjs'], { cwd: root, stdio: 'inherit' });
const failed = [unit.status !== 0 && 'unit', e2e.status !== 0 && 'e2e'].filter(Boolean);
if (failed.length) {
	console.error(`[execlab] failed: ${failed.join(', ')}`);
	process.exit(1);
}
console.log('[execlab] unit and e2e tests passed');
