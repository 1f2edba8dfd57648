// Prints a results file (default bench/results.json) as the Markdown table of the README's
// "Performance" section: `node bench/markdown.mjs [path]`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMarkdown } from './report.mjs';

const path = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'results.json');
const file = JSON.parse(readFileSync(path, 'utf8'));
console.log(formatMarkdown({ ...file.extra, ...file.results }));
