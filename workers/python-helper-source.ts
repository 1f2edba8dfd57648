// The helper's Python sources as text (Vite's ?raw import: the app build, Vitest and the worker
// bundle all read the same files), and their version.
/// <reference types="vite/client" />
import batch from './python/batch.py?raw';
import helper from './python/helper.py?raw';
import sharedTests from './python/shared_tests.py?raw';
import { helperVersion, joinHelper, type HelperPart } from './python-helper.ts';

const texts: Record<HelperPart, string> = {
	'helper.py': helper,
	'batch.py': batch,
	'shared_tests.py': sharedTests
};

/** Source of the `_execlab` helper module. */
export const pythonHelperSource = joinHelper((part) => texts[part]);

/** Version of the helper (a hash of its source): snapshots carrying another one reinstall it. */
export const pythonHelperVersion = helperVersion(pythonHelperSource);
