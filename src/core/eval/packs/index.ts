// Task pack importers: HumanEval, MBPP, Spider and BIRD files to a TaskPack (src/core/eval/pack.ts).
export { parsePack, packId, type PackInput } from './parse-pack.ts';
export { PackError, type PackErrorPlace } from './pack-error.ts';
export { detectFormat } from './detect-format.ts';
export { packCounts, type PackCounts } from './pack-counts.ts';
