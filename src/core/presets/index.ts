import { codearcPreset } from './codearc.ts';
import { fencedPreset } from './fenced.ts';
import { intercodeReactPreset } from './intercode-react.ts';
import { intercodeTryAgainPreset } from './intercode-try-again.ts';
import { mokavPreset } from './mokav.ts';
import { pythonFeedbackPreset } from './python-feedback.ts';
import { skyrlSqlPreset } from './skyrl-sql.ts';
import { toolsPreset } from './tools.ts';
import type { Preset, PresetId } from './types.ts';

/** Every preset by id. */
export const presets: Record<PresetId, Preset> = {
	'skyrl-sql': skyrlSqlPreset,
	'python-feedback': pythonFeedbackPreset,
	'intercode-react': intercodeReactPreset,
	'intercode-try-again': intercodeTryAgainPreset,
	fenced: fencedPreset,
	tools: toolsPreset,
	mokav: mokavPreset,
	codearc: codearcPreset
};

/** The preset with an id; throws a RangeError naming the valid ids otherwise. */
export function getPreset(id: string): Preset {
	if (!Object.hasOwn(presets, id)) {
		throw new RangeError(
			`Unknown preset "${id}"; expected one of ${Object.keys(presets).join(', ')}`
		);
	}
	return presets[id as PresetId];
}

export type * from './types.ts';
