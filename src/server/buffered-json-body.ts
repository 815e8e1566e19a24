import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ServerEnv } from './context.js';

const DECODER = new TextDecoder('utf-8');


/** Throws the 413 of a body over `limit` bytes (mapped to the error shape by the app's error handler). */
export function bodyTooLarge(limit: number): never {
  throw new HTTPException(413, { message: `The request body is larger than the limit of ${limit} bytes.` });
}

/**
 * Reads a JSON request body of at most `maxBytes` straight from node's request and hands its text to
 * hono's body cache, where `c.req.json()` (and so the route's zod validator) picks it up. Same limits and
 * answers as hono's `bodyLimit`, which this replaces on the node server because `bodyLimit` makes
 * @hono/node-server build a WHATWG `Request` with a web stream over the body — about a sixth of a
 * create-version request's CPU. Without a node request (`app.request()` in tests) it is `bodyLimit`.
 */
export function bufferedJsonBody(maxBytes: number): MiddlewareHandler<ServerEnv> {
  const fallback = bodyLimit({ maxSize: maxBytes, onError: () => bodyTooLarge(maxBytes) });
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || typeof incoming.on !== 'function' || incoming.readableEnded) return fallback(c, next);
    const declared = incoming.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) bodyTooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) bodyTooLarge(maxBytes);
      chunks.push(chunk);
    }
    // `json()` is `text()` then JSON.parse; TextDecoder drops a BOM like the Request would. The cache
    // holds promises at run time although hono types its entries as the values.
    const text = DECODER.decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    return next();
  };
}
