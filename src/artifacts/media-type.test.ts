import { describe, expect, it } from 'vitest';
import { decodeUtf8Prefix, detectImageType } from './media-type.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (t: string) => new TextEncoder().encode(t);

describe('detectImageType', () => {
  it('recognizes PNG, JPEG, GIF, WebP and SVG by their first bytes', () => {
    expect(detectImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(detectImageType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe('image/jpeg');
    expect(detectImageType(text('GIF89a....'))).toBe('image/gif');
    expect(detectImageType(text('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
    expect(detectImageType(text('\uFEFF  <?xml version="1.0"?><!-- x --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"><svg width="1"/>'))).toBe('image/svg+xml');
  });

  it('says null for anything else', () => {
    for (const head of [bytes(), bytes(0x89, 0x50), text('RIFF1234WAVE'), text('<html><svg/></html>'), text('{"svg": 1}'), bytes(0, 1, 2)]) {
      expect(detectImageType(head)).toBeNull();
    }
  });
});

describe('decodeUtf8Prefix', () => {
  it('decodes text cut in the middle of a character, and refuses binary', () => {
    const euro = text('a€');
    expect(decodeUtf8Prefix(euro.subarray(0, 3))).toBe('a');
    expect(decodeUtf8Prefix(euro)).toBe('a€');
    expect(decodeUtf8Prefix(bytes(0xff, 0xfe, 0x41))).toBeNull();
    expect(decodeUtf8Prefix(bytes(0x41, 0))).toBeNull();
  });
});
