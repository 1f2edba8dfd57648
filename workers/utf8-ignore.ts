/** Text decoded from UTF-8 bytes, and whether the bytes were valid UTF-8. */
export interface DecodedText {
	text: string;
	valid: boolean;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 as Python's `bytes.decode("utf-8", errors="ignore")`: each maximal ill-formed
 * subsequence (a bad lead byte, or a lead byte and the continuation bytes that fit it before one
 * that does not) is dropped and decoding resumes at the next byte, as Python's decoder does.
 */
export function decodeUtf8Ignore(bytes: Uint8Array): DecodedText {
	try {
		return { text: strict.decode(bytes), valid: true };
	} catch {
		return { text: decodeDropping(bytes), valid: false };
	}
}

/** The second byte's allowed range for a lead byte (RFC 3629 table), or null for a bad lead. */
function secondRange(lead: number): [number, number, number] | null {
	if (lead >= 0xc2 && lead <= 0xdf) return [0x80, 0xbf, 2];
	if (lead === 0xe0) return [0xa0, 0xbf, 3];
	if (lead === 0xed) return [0x80, 0x9f, 3];
	if (lead >= 0xe1 && lead <= 0xef) return [0x80, 0xbf, 3];
	if (lead === 0xf0) return [0x90, 0xbf, 4];
	if (lead === 0xf4) return [0x80, 0x8f, 4];
	if (lead >= 0xf1 && lead <= 0xf3) return [0x80, 0xbf, 4];
	return null;
}

function decodeDropping(bytes: Uint8Array): string {
	const codePoints: number[] = [];
	let i = 0;
	while (i < bytes.length) {
		const lead = bytes[i];
		if (lead < 0x80) {
			codePoints.push(lead);
			i++;
			continue;
		}
		const range = secondRange(lead);
		if (!range) {
			i++;
			continue;
		}
		const [low, high, length] = range;
		let cp = lead & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
		let k = 1;
		for (; k < length && i + k < bytes.length; k++) {
			const b = bytes[i + k];
			const ok = k === 1 ? b >= low && b <= high : b >= 0x80 && b <= 0xbf;
			if (!ok) break;
			cp = (cp << 6) | (b & 0x3f);
		}
		if (k === length) codePoints.push(cp);
		i += k;
	}
	let text = '';
	for (let s = 0; s < codePoints.length; s += 4096) {
		text += String.fromCodePoint(...codePoints.slice(s, s + 4096));
	}
	return text;
}
