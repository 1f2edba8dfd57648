import type { Executors } from '../core/executors.ts';
import type { PythonClient } from './python-client.ts';
import type { SqlClient } from './sql-client.ts';

/** Builds the agent loop's {@link Executors} from the page's worker clients. */
export function createExecutors(clients: { python: PythonClient; sql: SqlClient }): Executors {
	const { python, sql } = clients;
	return {
		python: (code, { onOutput, ...options }) => python.run(code, options, onOutput),
		resetPython: (session) => python.reset(session),
		pythonBatch: (samples, options) => python.runMany(samples, options),
		sql: (query, options) => sql.exec(query, options),
		schema: (db) => sql.schema(db)
	};
}
