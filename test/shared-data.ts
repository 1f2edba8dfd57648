import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';

// Real third-party data (MBPP, Spider, HumanEval; see ../shared/data/README.md) lives beside the
// repository on our machines and in CI, never inside it. Every test that reads it goes through
// this module, so a fresh clone skips those tests (saying why, once: test/shared-data-setup.ts)
// instead of failing with ENOENT, and CI cannot skip them silently.

/** The files whose presence means the shared data is there. */
const required = [
	'mbpp/mbpp-dev.jsonl',
	'spider/dev-sample.json',
	'spider/tables-sample.json',
	'humaneval/humaneval-sample.jsonl'
];

/** The shared data folder: `EXECLAB_SHARED_DATA` when set, else `../shared/data` beside the repository. */
export const sharedDataDir: string = process.env.EXECLAB_SHARED_DATA
	? join(process.env.EXECLAB_SHARED_DATA, '/')
	: fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** The required files that are missing (empty when the data is there). */
export const missingSharedData: string[] = required.filter(
	(file) => !existsSync(join(sharedDataDir, file))
);

/** Whether the shared data is there. */
export const hasSharedData: boolean = missingSharedData.length === 0;

/** Whether this is a CI run (`CI` set to anything but "" / "0" / "false"). */
export const inCi: boolean = !['', '0', 'false'].includes(process.env.CI ?? '');

/** The line printed once per run when the real-data tests are skipped. */
export const skipMessage = 'real-data tests skipped: ../shared/data not found';

/** What every real-data test and suite title starts with (scripts/test.mjs counts skips by it). */
export const realDataTag = '[real data]';

// In CI nothing is skipped: a missing file then fails its tests, naming the path (and the global
// setup has already failed the run).
const skip = !hasSharedData && !inCi;

/** The absolute path of a file in the shared data, e.g. `sharedPath('mbpp/mbpp-dev.jsonl')`. */
export function sharedPath(relative: string): string {
	return join(sharedDataDir, relative);
}

/** A shared data file's text. */
export function readShared(relative: string): string {
	return readFileSync(sharedPath(relative), 'utf8');
}

/** The path of a Spider sample database, e.g. `spiderDb('concert_singer')`. */
export function spiderDb(id: string): string {
	return sharedPath(`spider/database/${id}/${id}.sqlite`);
}

/** `describe` for a suite that needs the shared data: skipped where it is absent (outside CI). */
export function describeRealData(name: string, fn: () => void): void {
	describe.skipIf(skip)(`${realDataTag} ${name}`, fn);
}

/** `test` for a test that needs the shared data: skipped where it is absent (outside CI). */
export function testRealData(name: string, fn: () => void | Promise<void>, timeout?: number): void {
	test.skipIf(skip)(`${realDataTag} ${name}`, fn, timeout);
}
