// Saving bytes made in the page as a file, through the browser's ordinary download.

/** Saves `blob` as a download named `fileName` (an object URL clicked through a temporary link). */
export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
	// Older Firefox follows a click only on a link that is in the document.
	document.body.append(a);
	a.click();
	a.remove();
	// Revoked later, not at once: the browser may still be reading the URL when click() returns.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
