// Apart from the exporters, so the embed's schema can name the formats without loading them.

/** The export formats, as the embed contract names them. */
export const exportFormats = ['json', 'jsonl', 'leti', 'chat', 'skyrl', 'intercode'] as const;

/** One of {@link exportFormats}. */
export type ExportFormat = (typeof exportFormats)[number];
