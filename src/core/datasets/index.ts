export * from './mbpp.ts';
export * from './humaneval.ts';
export * from './spider.ts';
export * from './bird.ts';
