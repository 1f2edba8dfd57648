// The page's side of an agent run (src/core/agent/agent-run.ts): its worker clients, bundled
// sample databases opened on demand, and the engine versions a trace header records.
import type { AgentEnvironment } from '../core/agent/agent-run.ts';
import { runtime } from './index.ts';

/** The page's agent environment (the workers start on first use). */
export const agentEnvironment: AgentEnvironment = {
	runtime,
	async ensureDb(db) {
		await runtime.sql.ready;
		if (runtime.sql.list().includes(db)) return;
		await runtime.sql.openSample(db);
	},
	async engines(): Promise<Record<string, string>> {
		const sql = await runtime.sql.ready.catch(() => null);
		return sql ? { sqlite: sql.sqliteVersion } : {};
	}
};
