// Makes sure Debian's Chromium is present for the e2e tests: installs it with apt when missing and
// running as root, otherwise stops with a message saying how.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
	if (process.getuid?.() === 0) {
		console.log('[execlab] Chromium missing: installing Debian package "chromium" with apt…');
		execSync(
			'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
			{
				stdio: 'inherit'
			}
		);
	} else {
		console.error(
			`[execlab] Chromium not found at ${path}. Install it with "sudo apt-get install -y chromium"` +
				' or set CHROMIUM_PATH to a Chromium binary, then run npm test again.'
		);
		process.exit(1);
	}
}
