/**
 * Two `modelplane server` PROCESSES on one PostgreSQL and one S3 bucket (both started by the test),
 * as behind a load balancer: data written through one is read through the other (model, versions,
 * artifact bytes), and concurrent force-promotions through both — 16 clients, 8 on each server, each
 * force-promoting its own version — leave exactly one production holder, one stage-history entry per
 * successful call forming one displacement chain, and a clean integrity check. Skipped when PostgreSQL
 * is not installed (failing under CI, see startPostgres).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ModelVersion } from '../../src/index.js';
import { startPostgres } from '../support/postgres.js';
import { startS3, type S3Handle } from '../support/s3.js';
import { newAdminKey, startServerProcess, type ServerProcess } from './server-process.js';

const postgres = await startPostgres();
const CLIENTS = 16;
const ROUNDS = 4;

describe.skipIf(!postgres)('two server processes on one PostgreSQL + S3', () => {
  let s3: S3Handle;
  let servers: ServerProcess[] = [];
  let clients: Client[] = [];
  const adminKey = newAdminKey();

  beforeAll(async () => {
    s3 = await startS3();
    const options = {
      database: postgres!.url,
      artifactStore: `s3://${s3.bucket}/multi-server-${process.pid}`,
      s3: { endpoint: s3.endpoint, credentials: s3.options.credentials },
      adminKey,
    };
    // Started at the same time on a never-opened database: migrations and the admin key bootstrap race.
    servers = await Promise.all([startServerProcess(options), startServerProcess(options)]);
    clients = Array.from({ length: CLIENTS }, (_, i) => new Client({ url: servers[i % 2]!.url, apiKey: adminKey }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    const codes = await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    await s3?.stop();
    await postgres?.stop();
    // A graceful stop exits 0.
    expect(codes).toEqual(servers.map(() => 0));
  }, 60_000);

  it('serves the same data from both processes', async () => {
    const [a, b] = [clients[0]!, clients[1]!];
    expect(servers[0]!.url).not.toBe(servers[1]!.url);
    await a.createModel({ name: 'shared', description: 'written through A' });
    const v1 = await a.createModelVersion({ model: 'shared', tags: ['a'] });
    const v2 = await b.createModelVersion({ model: 'shared', tags: ['b'] });
    expect([v1.number, v2.number]).toEqual([1, 2]);
    await a.logMetadata({ modelVersionId: v1.id, metadata: { accuracy: 0.93 } });

    expect((await b.getModel('shared')).description).toBe('written through A');
    const seenByB = await b.getModelVersion('shared', 1);
    expect(seenByB.id).toBe(v1.id);
    expect(seenByB.runMetadata.accuracy?.value).toBe(0.93);
    expect((await a.listModelVersions({ model: 'shared' })).items.map((v) => v.id).sort()).toEqual([v1.id, v2.id].sort());

    // Artifact bytes: 3 MB of random bytes uploaded through A (to S3), downloaded through B.
    const bytes = randomBytes(3 * 1024 * 1024);
    const saved = await a.saveArtifact('weights', bytes);
    const viaB = await b.getArtifactVersion('weights');
    expect(viaB.id).toBe(saved.id);
    const loaded = (await b.loadArtifact('weights')) as Uint8Array;
    expect(Buffer.from(loaded).equals(bytes)).toBe(true);
  });

  it('concurrent force-promotions through both leave one production holder and a consistent history', async () => {
    await clients[0]!.createModel({ name: 'contended' });
    // Every call promotes a version of its own (client i, round r → versions[i][r]), so every success
    // moves a version that is not yet in production: exactly one history entry per successful call.
    const versions: ModelVersion[][] = [];
    for (let i = 0; i < CLIENTS; i++) {
      versions.push([]);
      for (let r = 0; r < ROUNDS; r++) versions[i]!.push(await clients[(i + r) % CLIENTS]!.createModelVersion({ model: 'contended' }));
    }

    type Outcome = { ok: true; reason: string; versionId: string } | { ok: false; reason: string; error: string };
    const outcomes: Outcome[] = [];
    await Promise.all(
      clients.map(async (client, i) => {
        for (let r = 0; r < ROUNDS; r++) {
          const reason = `c${i}-r${r}`;
          try {
            const v = await client.updateModelVersion('contended', versions[i]![r]!.number, { stage: 'production', force: true, reason });
            expect(v.stage).toBe('production');
            outcomes.push({ ok: true, reason, versionId: v.id });
          } catch (error) {
            outcomes.push({ ok: false, reason, error: String(error) });
          }
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 5)));
        }
      }),
    );
    const ok = outcomes.filter((o) => o.ok);
    // Forced promotions have nothing to conflict on: each one must succeed (retried internally if need be).
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(ok).toHaveLength(CLIENTS * ROUNDS);

    // Exactly one holder, seen the same way through both servers.
    for (const client of [clients[0]!, clients[1]!]) {
      const production = (await client.listModelVersions({ model: 'contended', stage: 'production' })).items;
      expect(production).toHaveLength(1);
      expect((await client.getModelVersion('contended', 'production')).id).toBe(production[0]!.id);
    }

    // One history entry per successful call, with its reason, forming one chain of displacements.
    const history = await clients[1]!.getStageHistory('contended');
    expect(history).toHaveLength(ok.length);
    expect(history.map((t) => t.reason).sort()).toEqual(ok.map((o) => o.reason).sort());
    history.forEach((t, i) => {
      expect(t.toStage).toBe('production');
      expect(t.actor).toBe('admin');
      if (i === 0) expect(t.displacedVersionId).toBeNull();
      else expect(t.displacedVersionId).toBe(history[i - 1]!.modelVersionId);
    });
    const holder = (await clients[0]!.getModelVersion('contended', 'production')).id;
    expect(history.at(-1)!.modelVersionId).toBe(holder);

    // The integrity check, asked of each server (clients 0 and 1 are on servers A and B).
    for (const client of [clients[0]!, clients[1]!]) expect(await (await client.backend()).checkIntegrity()).toEqual([]);
  }, 45_000);
});
