// The app's runtime clients (Python and SQL workers), one of each per page. Constructing them is
// cheap; each starts its worker on first use (src/main.ts starts Python eagerly) and exposes
// them as `globalThis.execlab` for the console and e2e tests.
import type { Runtime } from '../core/runtime.ts';
import { PythonClient } from './python-client.ts';
import { SqlClient } from './sql-client.ts';

/** The page's runtime clients (the app's {@link Runtime}). */
export const runtime = {
	python: new PythonClient(),
	sql: new SqlClient()
} satisfies Runtime;
