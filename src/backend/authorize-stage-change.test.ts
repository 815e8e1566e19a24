/**
 * `CallerContext.authorizeStageChange` runs inside the update's transaction against the locked row: it
 * sees the stage the version has at write time, and throwing from it leaves nothing changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuthorizationError } from '../domain/errors.js';
import { EmbeddedBackend } from './embedded-backend.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-authz-'));
let backend: EmbeddedBackend;

beforeAll(async () => {
  backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(dir, 'm.db')}`, artifacts: path.join(dir, 'a'), actor: 'test' });
  await backend.createModel({ name: 'm' });
  await backend.createModelVersion({ model: 'm' });
});

afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

it('sees the locked stage and aborts the whole update when it throws', async () => {
  const seen: string[] = [];
  await backend.updateModelVersion('m', 1, { stage: 'production' }, { actor: 'admin', authorizeStageChange: (from, to) => void seen.push(`${from}->${to}`) });
  const refuse = (from: string, to: string) => {
    seen.push(`${from}->${to}`);
    throw new AuthorizationError('an editor may not take a version out of production');
  };
  await expect(backend.updateModelVersion('m', 1, { stage: 'archived', description: 'should not stick', addTags: ['nope'] }, { actor: 'editor', authorizeStageChange: refuse })).rejects.toBeInstanceOf(AuthorizationError);
  expect(seen).toEqual(['none->production', 'production->archived']);
  const after = await backend.getModelVersion('m', 1);
  expect([after.stage, after.description, after.tags]).toEqual(['production', null, []]);
  expect((await backend.getStageHistory('m')).length).toBe(1);
});

it('is not called for updates without a stage', async () => {
  let calls = 0;
  await backend.updateModelVersion('m', 1, { description: 'd' }, { actor: 'x', authorizeStageChange: () => void calls++ });
  expect(calls).toBe(0);
});
