// The History tab's pure logic: index entries, search and filters, continuation, export, storage problems.
export * from './entry.ts';
export * from './export-selected.ts';
export * from './query.ts';
export * from './resume.ts';
export * from './storage-problem.ts';
export * from './import-file.ts';
