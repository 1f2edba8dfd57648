// Where a new run's answers come from, from the Eval tab's choices: the pack's references, the
// predictions file, or a model through the Agent tab's provider settings.
import type { batchPresets } from '../core/eval/batch/generate.ts';
import type { BatchProvider, BatchSource } from '../core/eval/batch/types.ts';
import type { PackFormat } from '../core/eval/pack.ts';
import { createProvider, type Provider, type ProviderConfig } from '../core/providers/index.ts';
import type { SourceKind } from './eval-form.ts';

/** A batch run's way of asking a model. */
export type BatchPreset = (typeof batchPresets)[number];

/** The model source's provider: the Agent tab's settings as a provider config. */
export interface ModelChoice {
	provider: ProviderConfig;
}

/** The choices a source is built from. */
export interface SourceChoices {
	kind: SourceKind;
	format: PackFormat | undefined;
	predictions: { name: string; text: string } | null;
	modelPreset: BatchPreset;
	n: number;
	temperature: number;
}

/** The run's source (and, for a model, its provider); throws what is missing. */
export async function sourceOf(
	choices: SourceChoices,
	model?: () => Promise<ModelChoice>
): Promise<{ source: BatchSource; provider?: Provider }> {
	if (choices.kind === 'reference') return { source: { kind: 'reference' } };
	if (choices.kind === 'predictions') {
		if (!choices.predictions) throw new Error('Choose a predictions file first.');
		return { source: { kind: 'predictions', text: choices.predictions.text } };
	}
	if (!model) throw new Error('No model provider is set up (see the Agent tab).');
	const choice = await model();
	const n = Math.max(1, Math.floor(choices.n) || 1);
	// Live objects (progress callbacks) do not belong in the run record.
	const plain = Object.fromEntries(
		Object.entries(choice.provider).filter(([, v]) => typeof v !== 'function')
	) as BatchProvider;
	const sql = choices.format === 'spider' || choices.format === 'bird';
	const source: BatchSource = {
		kind: 'model',
		provider: plain,
		// A raw-prompt completion is for Python packs only; SQL packs are asked by chat.
		preset: sql ? 'chat' : choices.modelPreset,
		n,
		sampling: { temperature: choices.temperature }
	};
	return { source, provider: await createProvider(choice.provider) };
}
