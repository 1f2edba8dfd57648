import {
	hasSharedData,
	inCi,
	missingSharedData,
	sharedDataDir,
	skipMessage
} from './shared-data.ts';

/**
 * Vitest global setup (unit and e2e): says once per run that the real-data tests are skipped, or,
 * under CI, fails the run, since CI must run them.
 */
export default function checkSharedData(): void {
	if (hasSharedData) return;
	const detail = `missing in ${sharedDataDir}: ${missingSharedData.join(', ')}`;
	if (inCi)
		throw new Error(
			`CI=true but ../shared/data not found: the real-data tests must run in CI (${detail})`
		);
	if (process.env.EXECLAB_SKIP_NOTICE_SHOWN === '1') return;
	console.log(`[execlab] ${skipMessage} (${detail}; set EXECLAB_SHARED_DATA to point elsewhere)`);
}
