import type { OutgoingMessage } from '../../../src/embed/contract.ts';
import { createEmbedDispatcher } from '../../../src/embed/dispatcher.ts';
import { createOriginPolicy } from '../../../src/embed/origin-policy.ts';
import type { EmbedRegistry } from '../../../src/embed/registry.ts';

/** Sends one embed message from the host; resolves with everything posted back once its handling is over. */
export type EmbedSend = (data: Record<string, unknown>) => Promise<OutgoingMessage[]>;

/** The real dispatcher over `registry`, allowing `host` as ExecLab's embed policy would, and its `send`. */
export function embedHarness(registry: EmbedRegistry, host: string): EmbedSend {
	const { policy } = createOriginPolicy({
		ownOrigin: 'https://execlab.example',
		search: `?embed=1&allowOrigin=${encodeURIComponent(host)}`
	});
	const dispatcher = createEmbedDispatcher({ registry, policy, debug: () => {} });
	return async (data) => {
		const replies: OutgoingMessage[] = [];
		await dispatcher.handle({ execlab: 1, ...data }, host, (m) => replies.push(structuredClone(m)));
		return replies;
	};
}
