import type { ActionKind, AgentEvent } from '../../core/trace/events.ts';
import type { Trace } from '../../core/trace/trace.ts';

/** One turn of a gallery card's preview: what the model said and ran, and what came back. */
export interface PreviewTurn {
	/** The model's words before its code (reasoning tags removed), shortened. */
	say: string;
	kind: ActionKind;
	/** The code it ran or answered with, shortened to a few lines. */
	code: string;
	/** Whether this was the final answer rather than an action. */
	answer: boolean;
	/** How the execution ended ('ok', 'error' …), or null when nothing came back. */
	status: string | null;
	/** The observation's first lines (the error line for an error), shortened. */
	result: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

function lines(s: string, n: number): string {
	const all = s.trim().split('\n');
	return all.length > n ? [...all.slice(0, n), '…'].join('\n') : all.join('\n');
}

// Wrappers such as <observation>, "Observation 2:" or a reminder are the preset's, not the gist.
function gist(text: string, status: string): string {
	const rows = text
		.replace(/<reminder>[\s\S]*?<\/reminder>/g, '')
		.replace(/<\/?[a-z_]+>/gi, '')
		.replace(/^\s*Observation \d*:\s*/i, '')
		.split('\n')
		.filter((l) => l.trim());
	const error = status === 'error' ? rows.findLast((l) => /error|exception/i.test(l)) : undefined;
	if (error) return clip(error.trim(), 140);
	const shown = rows.slice(0, 3).map((l) => clip(l.trimEnd(), 90));
	return rows.length > 3 ? [...shown, '…'].join('\n') : shown.join('\n');
}

function said(text: string, raw: string): string {
	const before = raw && text.includes(raw) ? text.slice(0, text.indexOf(raw)) : text;
	const words = before
		.replace(/<\/?think>/g, '')
		.replace(/Action \d+:\s*$/, '')
		.replace(/\s+/g, ' ')
		.trim();
	return clip(words, 160);
}

/** The first `turns` actions or answers of a trace, each with the observation that followed it. */
export function galleryPreview(trace: Trace, turns = 3): PreviewTurn[] {
	const out: PreviewTurn[] = [];
	let text = '';
	let waiting: PreviewTurn | null = null;
	for (const e of trace.events as AgentEvent[]) {
		if (e.type === 'call') text = '';
		else if (e.type === 'text') text += e.text;
		else if (e.type === 'action' || e.type === 'answer') {
			if (out.length >= turns) break;
			waiting = {
				say: said(text, e.raw),
				kind: e.kind,
				code: lines(e.code, 3),
				answer: e.type === 'answer',
				status: null,
				result: ''
			};
			out.push(waiting);
			// A second tool call in the same reply has no words of its own.
			text = '';
		} else if (e.type === 'observation' && waiting) {
			waiting.status = e.status;
			waiting.result = gist(e.text, e.status);
			waiting = null;
		}
	}
	return out;
}
