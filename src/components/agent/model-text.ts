import { escapeHtml, renderMarkdown } from '../../lib/markdown.ts';

// Protocol tags (the presets' <think>, <sql>, <python>, <solution>, <answer>) are shown as what
// they mean: reasoning as a muted block, actions and answers as code, the rest as markdown. Nothing
// the model writes becomes markup.

/** A piece of a model message. */
export type Segment =
	| { type: 'markdown'; text: string }
	| { type: 'think'; text: string; open: boolean }
	| { type: 'code'; tag: string; text: string; open: boolean };

const tagPattern = /<(\/?)(think|sql|python|solution|answer|observation)>/g;

/** Splits a (possibly still streaming) model message at its protocol tags. */
export function splitModelText(text: string): Segment[] {
	const out: Segment[] = [];
	let at = 0;
	let inside: string | null = null;
	let start = 0;
	tagPattern.lastIndex = 0;
	for (let m = tagPattern.exec(text); m; m = tagPattern.exec(text)) {
		const [whole, slash, tag] = m;
		if (inside === null && !slash) {
			if (m.index > at) out.push({ type: 'markdown', text: text.slice(at, m.index) });
			inside = tag;
			start = m.index + whole.length;
		} else if (inside === tag && slash) {
			out.push(segment(tag, text.slice(start, m.index), false));
			inside = null;
			at = m.index + whole.length;
		}
	}
	if (inside !== null) out.push(segment(inside, text.slice(start), true));
	else if (at < text.length) out.push({ type: 'markdown', text: text.slice(at) });
	return out.filter((s) => s.type !== 'markdown' || s.text.trim() !== '');
}

function segment(tag: string, text: string, open: boolean): Segment {
	return tag === 'think' ? { type: 'think', text, open } : { type: 'code', tag, text, open };
}

/** HTML of a model message: sanitised markdown plus our own fixed wrappers and escaped code. */
export function renderModelText(text: string): string {
	return splitModelText(text)
		.map((s) => {
			if (s.type === 'markdown') return renderMarkdown(s.text);
			if (s.type === 'think')
				return `<div class="think${s.open ? ' open' : ''}"><span class="label">thinking</span>${renderMarkdown(s.text)}</div>`;
			return `<div class="tagged${s.open ? ' open' : ''}"><span class="label">${escapeHtml(s.tag)}</span><pre><code>${escapeHtml(s.text.replace(/^\n+|\s+$/g, ''))}</code></pre></div>`;
		})
		.join('');
}
