import type { BlobReader } from './artifact-store.js';

/** The image types the dashboard shows inline. */
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/svg+xml';

/** Materializers whose bytes are a known encoding that is never an image: no need to sniff them. */
export const NOT_IMAGES: ReadonlySet<string> = new Set(['json', 'table', 'typed-array', 'date']);

/** How many leading bytes {@link detectImageType} needs at most. */
export const SNIFF_BYTES = 4096;

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** True when `text` (the start of a file) is an SVG document: an `<svg` root after the XML prolog, comments and doctype. */
function isSvgText(text: string): boolean {
  let t = text.replace(/^\uFEFF/, '');
  for (;;) {
    t = t.trimStart();
    const skip = /^(?:<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE\s+svg[^>]*>)/i.exec(t);
    if (!skip) break;
    t = t.slice(skip[0].length);
  }
  return /^<svg[\s>]/i.test(t);
}

/**
 * The image type of a blob from its first bytes (magic numbers; for SVG, the root element), or null.
 * @example detectImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // 'image/png'
 */
export function detectImageType(head: Uint8Array): ImageMediaType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  // SVG is text: only look when the head decodes as UTF-8 (a binary blob cannot be one).
  const text = decodeUtf8Prefix(head.subarray(0, SNIFF_BYTES));
  return text !== null && isSvgText(text) ? 'image/svg+xml' : null;
}

/**
 * Decodes bytes that may end in the middle of a UTF-8 sequence (a prefix of a longer blob); null when
 * they are not UTF-8 text (invalid sequences, or NUL bytes, which text files do not contain).
 */
export function decodeUtf8Prefix(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    // `stream: true` leaves an incomplete sequence at the end undecoded instead of failing.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

/** Reads at most `limit` leading bytes of a blob, stopping the stream as soon as it has them. */
export async function readBlobHead(reader: BlobReader, limit: number): Promise<Uint8Array> {
  const want = Math.min(limit, reader.size);
  const out = new Uint8Array(want);
  if (want === 0) return out;
  let filled = 0;
  const stream = reader.stream();
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      const take = Math.min(chunk.length, want - filled);
      out.set(chunk.subarray(0, take), filled);
      filled += take;
      if (filled >= want) break;
    }
  } finally {
    stream.destroy();
  }
  return out.subarray(0, filled);
}
