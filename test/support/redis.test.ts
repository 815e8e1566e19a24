import { existsSync } from 'node:fs';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type ServiceHandle } from './postgres.js';

// Skipped (with a notice) when redis-server is missing; under CI=true a missing redis-server fails this file.
const redis = await startRedis();
afterAll(async () => {
  await redis?.stop();
});

function server(): ServiceHandle {
  if (!redis) throw new Error('Redis is not running');
  return redis;
}

/** Sends one inline command over a raw socket and returns the first reply line. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(`${line}\r\n`));
    let reply = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const end = reply.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(reply.slice(0, end));
      }
    });
  });
}

describe.skipIf(!redis)('startRedis', () => {
  it('returns a URL to a server that answers commands', async () => {
    const { url, port } = server();
    expect(url).toBe(`redis://127.0.0.1:${port}`);
    expect(await command(port, 'PING')).toBe('+PONG');
    expect(await command(port, 'SET k v')).toBe('+OK');
    expect(await command(port, 'CONFIG GET save')).toBe('*2');
  });

  it('stop() shuts the server down and removes its folder', async () => {
    const { port, dir, stop } = server();
    await stop();
    expect(existsSync(dir)).toBe(false);
    await expect(command(port, 'PING')).rejects.toThrow();
    await stop();
  });
});
