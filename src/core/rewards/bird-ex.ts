import type { SqlValue } from '../../../workers/protocol.ts';
import { frozensetEqual } from './skyrl.ts';

/**
 * BIRD EX (AlibabaResearch/DAMO-ConvAI bird/llm/src/evaluation.py): `set(pred) == set(gold)`; order
 * and duplicates ignored, column order kept.
 */
export function birdEx(
	pred: readonly (readonly SqlValue[])[],
	gold: readonly (readonly SqlValue[])[]
): boolean {
	return frozensetEqual(pred, gold);
}
