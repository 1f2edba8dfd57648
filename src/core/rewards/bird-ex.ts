import type { TypedRows } from '../eval/python-value.ts';
import { birdSetEqual } from '../eval/bird-ex.ts';
import { typedRows, type Rows } from './typed-rows.ts';

/**
 * BIRD EX (AlibabaResearch/DAMO-ConvAI bird/llm/src/evaluation.py), via the metric's
 * {@link birdSetEqual}: `set(pred) == set(gold)` under Python's `==`; order and duplicates ignored,
 * column order kept. Give {@link TypedRows} for the official verdict.
 */
export function birdEx(pred: Rows | TypedRows, gold: Rows | TypedRows): boolean {
	return birdSetEqual(typedRows(pred), typedRows(gold));
}
