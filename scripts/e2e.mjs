// `npm run test:e2e`: build the app, then run the Chromium end-to-end tests against dist/ (or the
// folder EXECLAB_DIST names, so that two runs at once do not build into one folder).
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });
run('node scripts/ensure-install.mjs');
run('node scripts/ensure-chromium.mjs');
const outDir = process.env.EXECLAB_DIST;
run(`npx vite build --logLevel warn${outDir ? ` --outDir ${outDir} --emptyOutDir` : ''}`);
run(`npx vitest run -c vitest.e2e.config.ts ${process.argv.slice(2).join(' ')}`);
