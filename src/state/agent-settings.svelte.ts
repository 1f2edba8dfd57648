import { getPreset, presets } from '../core/presets/index.ts';
import type { PresetId, PromptTemplate } from '../core/presets/types.ts';
import type { Budgets } from '../core/trace/events.ts';
import { loadText, saveText } from './persistence.ts';

/** Provider kinds offered in the Agent tab. */
export type ProviderKind = 'openai' | 'anthropic' | 'webllm' | 'replay' | 'manual';

/** Per-kind connection settings (the key is kept apart: see {@link AgentSettings.apiKey}). */
export interface Connection {
	baseUrl: string;
	model: string;
}

const defaults: Record<ProviderKind, Connection> = {
	openai: { baseUrl: 'http://localhost:11434/v1', model: '' },
	anthropic: { baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5' },
	webllm: { baseUrl: '', model: 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC' },
	replay: { baseUrl: '', model: 'replay' },
	manual: { baseUrl: '', model: 'manual' }
};

const settingsKey = 'agent-settings';
const keyPrefix = 'agent-key:';
const templatePrefix = 'agent-template:';

interface Saved {
	kind?: ProviderKind;
	connections?: Partial<Record<ProviderKind, Connection>>;
	remember?: Partial<Record<ProviderKind, boolean>>;
	presetId?: PresetId;
	mode?: 'chat' | 'completion';
	temperature?: number | null;
	maxTurns?: number | null;
	maxTokens?: number | null;
	maxSeconds?: number | null;
	execTimeoutSeconds?: number | null;
}

function readSaved(): Saved {
	try {
		return (JSON.parse(loadText(settingsKey) ?? '{}') as Saved) ?? {};
	} catch {
		return {};
	}
}

/**
 * Provider, preset, sampling and budget settings of the Agent tab, saved in localStorage. API keys
 * stay in memory unless "remember on this device" is ticked for that provider; they are only ever
 * handed to the provider's requests, never to the workers.
 */
export class AgentSettings {
	kind = $state<ProviderKind>('replay');
	connections = $state<Record<ProviderKind, Connection>>(structuredClone(defaults));
	/** Keys in memory, by provider kind. */
	keys = $state<Partial<Record<ProviderKind, string>>>({});
	remember = $state<Partial<Record<ProviderKind, boolean>>>({});
	presetId = $state<PresetId>('skyrl-sql');
	mode = $state<'chat' | 'completion'>('completion');
	/** null: the server's default. */
	temperature = $state<number | null>(0);
	/** null: the preset's default. */
	maxTurns = $state<number | null>(null);
	maxTokens = $state<number | null>(null);
	maxSeconds = $state<number | null>(null);
	execTimeoutSeconds = $state<number | null>(null);
	/** Edited templates by preset (absent: the preset's default). */
	templates = $state<Partial<Record<PresetId, PromptTemplate>>>({});

	constructor() {
		const s = readSaved();
		if (s.kind && s.kind in defaults) this.kind = s.kind;
		for (const k of Object.keys(defaults) as ProviderKind[]) {
			const c = s.connections?.[k];
			if (c) this.connections[k] = { ...defaults[k], ...c };
		}
		this.remember = s.remember ?? {};
		for (const k of Object.keys(defaults) as ProviderKind[]) {
			const key = this.remember[k] ? loadText(keyPrefix + k) : null;
			if (key) this.keys[k] = key;
		}
		if (s.presetId && Object.hasOwn(presets, s.presetId)) this.presetId = s.presetId;
		this.mode = s.mode ?? getPreset(this.presetId).defaultMode;
		if (s.temperature !== undefined) this.temperature = s.temperature;
		this.maxTurns = s.maxTurns ?? null;
		this.maxTokens = s.maxTokens ?? null;
		this.maxSeconds = s.maxSeconds ?? null;
		this.execTimeoutSeconds = s.execTimeoutSeconds ?? null;
		for (const id of Object.keys(presets) as PresetId[]) {
			try {
				const t = JSON.parse(loadText(templatePrefix + id) ?? 'null') as PromptTemplate | null;
				if (t && typeof t.system === 'string' && typeof t.user === 'string') this.templates[id] = t;
			} catch {
				// A damaged saved template falls back to the default.
			}
		}
	}

	/** The connection of the chosen provider. */
	get connection(): Connection {
		return this.connections[this.kind];
	}

	/** The key of the chosen provider (in memory). */
	get apiKey(): string {
		return this.keys[this.kind] ?? '';
	}

	/** Sets the chosen provider's key; stored on the device only when remembering is ticked. */
	setKey(key: string): void {
		this.keys[this.kind] = key;
		if (this.remember[this.kind]) saveText(keyPrefix + this.kind, key);
	}

	/** Ticks or unticks "remember on this device" for the chosen provider (unticking forgets it). */
	setRemember(on: boolean): void {
		this.remember[this.kind] = on;
		saveText(keyPrefix + this.kind, on ? this.apiKey : '');
		this.save();
	}

	/** Picks a preset (and its default mode when the current one does not fit). */
	setPreset(id: PresetId): void {
		this.presetId = id;
		const preset = getPreset(id);
		if (!preset.modes.includes(this.mode)) this.mode = preset.defaultMode;
		this.save();
	}

	/** The template in use for the chosen preset. */
	get template(): PromptTemplate {
		return this.templates[this.presetId] ?? getPreset(this.presetId).defaultTemplate;
	}

	/** Whether the chosen preset's template was edited. */
	get templateEdited(): boolean {
		return this.templates[this.presetId] !== undefined;
	}

	/** Saves an edited template for the chosen preset. */
	setTemplate(part: 'system' | 'user', text: string): void {
		const next = { ...this.template, [part]: text };
		this.templates[this.presetId] = next;
		saveText(templatePrefix + this.presetId, JSON.stringify(next));
	}

	/** Goes back to the preset's default template. */
	resetTemplate(): void {
		delete this.templates[this.presetId];
		saveText(templatePrefix + this.presetId, 'null');
	}

	/** The run's budgets from the settings. */
	get budgets(): Budgets {
		const b: Budgets = {};
		if (this.maxTurns) b.maxTurns = this.maxTurns;
		if (this.maxTokens) b.maxTokens = this.maxTokens;
		if (this.maxSeconds) b.maxMs = this.maxSeconds * 1000;
		if (this.execTimeoutSeconds) b.execTimeoutMs = this.execTimeoutSeconds * 1000;
		return b;
	}

	/** Saves everything except keys. */
	save(): void {
		const saved: Saved = {
			kind: this.kind,
			connections: $state.snapshot(this.connections),
			remember: $state.snapshot(this.remember),
			presetId: this.presetId,
			mode: this.mode,
			temperature: this.temperature,
			maxTurns: this.maxTurns,
			maxTokens: this.maxTokens,
			maxSeconds: this.maxSeconds,
			execTimeoutSeconds: this.execTimeoutSeconds
		};
		saveText(settingsKey, JSON.stringify(saved));
	}
}
