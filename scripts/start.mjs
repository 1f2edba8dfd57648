// `npm start`: install if needed, build, and serve the production build on http://localhost:5173
// (a build rather than the dev server, so the service worker and offline mode work as deployed).
import { execSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execSync('node scripts/ensure-install.mjs', { cwd: root, stdio: 'inherit' });
execSync('npx vite build --logLevel warn', { cwd: root, stdio: 'inherit' });
console.log('[execlab] serving on http://localhost:5173');
const server = spawn('npx', ['vite', 'preview', '--port', '5173', '--strictPort'], {
	cwd: root,
	stdio: 'inherit'
});
server.on('exit', (code) => process.exit(code ?? 0));
