import type { PresetId } from '../../core/presets/types.ts';
import { importTrace, type Trace } from '../../core/trace/trace.ts';
import fenced from './fenced.json';
import intercodeReact from './intercode-react.json';
import intercodeTryAgain from './intercode-try-again.json';
import pythonFeedback from './python-feedback.json';
import skyrlSql from './skyrl-sql.json';
import tools from './tools.json';

// Recorded demo sessions of our own, one per preset (SQL ones on the generated `school` sample);
// re-recorded by test/unit/agent-replay.test.ts with RECORD_TRACES=1.
// The differential-testing presets (mokav, codearc) have no recorded session yet.
const raw: Partial<Record<PresetId, unknown>> = {
	'skyrl-sql': skyrlSql,
	'python-feedback': pythonFeedback,
	'intercode-react': intercodeReact,
	'intercode-try-again': intercodeTryAgain,
	fenced,
	tools
};

/** The bundled recorded session of a preset, validated. */
export function recordedTrace(preset: PresetId): Trace {
	return importTrace(raw[preset]);
}

/** Preset ids that have a bundled recorded session. */
export const recordedTracePresets = Object.keys(raw) as PresetId[];
