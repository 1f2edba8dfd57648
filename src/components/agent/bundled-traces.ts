import { importTrace, type Trace } from '../../core/trace/trace.ts';

// Recorded sessions shipped in src/data/traces/*.json (ExecLab trace format); each is its own
// chunk, fetched only when picked.

const files = import.meta.glob<unknown>('../../data/traces/*.json', { import: 'default' });

/** A bundled recorded session. */
export interface BundledTrace {
	name: string;
	load(): Promise<Trace>;
}

/** The bundled recorded sessions, by file name. */
export const bundledTraces: BundledTrace[] = Object.entries(files)
	.sort(([a], [b]) => a.localeCompare(b))
	.map(([path, load]) => ({
		name: path.replace(/^.*\//, '').replace(/\.json$/, ''),
		load: async () => importTrace(await load())
	}));
