import type { RenderedPrompt } from '../trace/events.ts';
import type { PromptTemplate } from './types.ts';

/** Fills `{name}` placeholders; unknown names and other braces are left as they are. */
export function fillTemplate(text: string, values: Record<string, string | number>): string {
	return text.replace(/\{([a-z_][a-z0-9_]*)\}/gi, (whole, name: string) =>
		Object.hasOwn(values, name) ? String(values[name]) : whole
	);
}

/** Renders both parts of a template; the completion prompt joins them (by a blank line by default). */
export function renderPrompt(
	template: PromptTemplate,
	values: Record<string, string | number>,
	joiner = '\n\n'
): RenderedPrompt {
	const system = fillTemplate(template.system, values);
	const user = fillTemplate(template.user, values);
	return { system, user, completion: system ? `${system}${joiner}${user}` : user };
}

/** Cuts text to a length, saying so; returns whether it cut. */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
	if (text.length <= max) return { text, truncated: false };
	return {
		text: `${text.slice(0, max)}\n… [${text.length - max} more characters]`,
		truncated: true
	};
}
