import type { PresetId } from '../../core/presets/types.ts';
import type { Trace } from '../../core/trace/trace.ts';
import { recordedTrace, recordedTracePresets } from '../../data/traces/index.ts';

/** A bundled recorded session (one per preset, src/data/traces/). */
export interface BundledTrace {
	id: PresetId;
	name: string;
	load(): Trace;
}

/** The bundled recorded sessions; the first (SkyRL-SQL) is the Agent tab's default. */
export const bundledTraces: BundledTrace[] = recordedTracePresets.map((id) => ({
	id,
	name: `recorded ${id} session`,
	load: () => recordedTrace(id)
}));
