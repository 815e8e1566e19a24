/** Parsing of a `text/event-stream` body (server-sent events). */

/** One server-sent event. */
export interface ServerEvent {
  event: string;
  data: unknown;
}

/**
 * Splits an SSE text buffer into complete events (JSON data parsed when it is JSON; comments such as
 * `: ping` skipped) and returns them with the unfinished rest, to be prefixed to the next chunk.
 */
export function parseEvents(buffer: string): { events: ServerEvent[]; rest: string } {
  const events: ServerEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) continue;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    events.push({ event, data: parsed });
  }
  return { events, rest };
}
