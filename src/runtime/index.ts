// The app's runtime clients (Python and SQL workers), started once per page. The Python and SQL
// helpers fill this in; src/main.ts exposes it as `globalThis.execlab` for the console and e2e tests.
import { SqlClient } from './sql-client.ts';

/** The page's runtime clients. */
export const runtime: Record<string, unknown> = {
	sql: new SqlClient()
};
