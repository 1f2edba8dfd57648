import type { TraceV2 } from '../trace/trace-v2.ts';

/** One OpenAI chat message as fine-tuning files carry it. */
export interface OpenAiMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string;
	tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
	tool_call_id?: string;
}

/**
 * A trace's conversation as OpenAI `messages`, as the loop's Conversation sent it: system and user
 * prompt, each model turn as the assistant (with its native tool calls), each observation as a tool
 * message answering its call or else as the user's turn, text exactly as sent.
 */
export function toChatMessages(trace: TraceV2): OpenAiMessage[] {
	const { prompt } = trace.header;
	const out: OpenAiMessage[] = [];
	if (prompt.system) out.push({ role: 'system', content: prompt.system });
	out.push({ role: 'user', content: prompt.user });
	const texts = new Map<number, string>();
	for (const e of trace.events)
		if (e.type === 'text') texts.set(e.call, (texts.get(e.call) ?? '') + e.text);
	let assistant: OpenAiMessage | null = null;
	let toolCall: string | undefined;
	for (const e of trace.events) {
		if (e.type === 'call-end') {
			assistant = { role: 'assistant', content: texts.get(e.call) ?? '' };
			out.push(assistant);
			toolCall = undefined;
		} else if ((e.type === 'action' || e.type === 'answer') && e.toolCallId && assistant) {
			const name = e.type === 'answer' ? 'submit' : e.kind === 'sql' ? 'run_sql' : 'run_python';
			(assistant.tool_calls ??= []).push({
				id: e.toolCallId,
				type: 'function',
				function: { name, arguments: e.raw }
			});
			toolCall = e.type === 'action' ? e.toolCallId : undefined;
		} else if (e.type === 'action') toolCall = undefined;
		else if (e.type === 'observation') {
			out.push(
				toolCall
					? { role: 'tool', content: e.text, tool_call_id: toolCall }
					: { role: 'user', content: e.text }
			);
		}
	}
	return out;
}

/** Chat JSONL: one `{"messages": [...]}` line per trace. */
export function toChatJsonl(traces: readonly TraceV2[]): string {
	return traces.map((t) => JSON.stringify({ messages: toChatMessages(t) }) + '\n').join('');
}
