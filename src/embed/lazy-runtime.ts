import type { EmbedPythonRuntime, EmbedRuntime, EmbedSqlRuntime } from './runtime-port.ts';

/** The runtime clients as src/runtime/index.ts exports them (fields may be absent in a broken build). */
export interface RuntimeClients {
	python?: EmbedPythonRuntime;
	sql?: EmbedSqlRuntime;
}

/**
 * An {@link EmbedRuntime} whose clients are imported on first use, so the listener (and `ready`)
 * can start before the workers load; requests simply wait for them.
 */
export function lazyEmbedRuntime(
	load: () => Promise<RuntimeClients>,
	currentDb: () => string | null | Promise<string | null> = () => null
): EmbedRuntime {
	let clients: Promise<RuntimeClients> | null = null;
	const get = async <K extends keyof RuntimeClients>(
		key: K
	): Promise<NonNullable<RuntimeClients[K]>> => {
		clients ??= load();
		const client = (await clients)[key];
		if (!client) throw new Error(`The ${key} runtime is missing from this build`);
		return client as NonNullable<RuntimeClients[K]>;
	};
	return {
		python: {
			run: async (code, options) => (await get('python')).run(code, options),
			reset: async (session) => (await get('python')).reset(session)
		},
		sql: {
			exec: async (sql, options) => (await get('sql')).exec(sql, options),
			open: async (name, bytes) => (await get('sql')).open(name, bytes),
			schema: async (db) => (await get('sql')).schema(db),
			close: async (db) => (await get('sql')).close(db)
		},
		currentDb
	};
}
