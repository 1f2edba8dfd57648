/** The headers that make a page cross-origin isolated and let an isolated host page embed it. */
export declare const isolationHeaders: Readonly<Record<string, string>>;
