/**
 * Data for the browser suite: the iris example run against a server (as a user would), API keys per
 * role, and many versions of one model inserted straight into SQLite for the page-load budget.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client, Model, saveArtifact } from '../../src/index.js';
import { REPO } from './build.js';

/** Calls the REST API with a key (or none); throws on a non-2xx answer with its body. */
export async function api<T = unknown>(base: string, key: string | null, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Runs examples/iris/main.ts (npx tsx) against the server at `url` with `apiKey`; resolves with its output. */
export function runIrisExample(url: string, apiKey: string, home: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('MODELPLANE_') || key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key];
  Object.assign(env, { MODELPLANE_URL: url, MODELPLANE_API_KEY: apiKey, MODELPLANE_HOME: home, NO_COLOR: '1' });
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', path.join('examples', 'iris', 'main.ts')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`the iris example failed (exit ${code}):\n${out}`))));
  });
}

/** Creates an API key of `role` through the API with the admin key; returns the raw key. */
export async function createKey(base: string, adminKey: string, name: string, role: 'viewer' | 'editor' | 'admin'): Promise<string> {
  const created = await api<{ key: string }>(base, adminKey, 'POST', '/api_keys', { name, role });
  return created.key;
}

/**
 * Inserts versions of `model` (which must exist) with raw SQL until it has `count`, each with an
 * `evaluation_metrics` object ({ accuracy, loss }) — rows as the API writes them, in one transaction.
 */
export function bulkInsertVersions(dbFile: string, model: string, count: number): { sec: number } {
  const t0 = performance.now();
  const db = new Database(dbFile, { timeout: 30_000 });
  try {
    db.pragma('journal_mode = WAL');
    const modelId = (db.prepare('select id from models where name = ?').get(model) as { id: string }).id;
    const insertVersion = db.prepare(
      `insert into model_versions (id, model_id, number, name, description, stage, stage_changed_at, created_at, updated_at) values (?, ?, ?, ?, null, 'none', null, ?, ?)`,
    );
    const insertMetadata = db.prepare(`insert into run_metadata (resource_type, resource_id, key, value, type, created_at) values ('model_version', ?, ?, ?, ?, ?)`);
    const bump = db.prepare('update models set write_seq = write_seq + ?, updated_at = ? where id = ?');
    db.transaction(() => {
      const start = Number((db.prepare('select coalesce(max(number), 0) as n from model_versions where model_id = ?').get(modelId) as { n: number }).n);
      const base = Date.now() - count * 1000;
      for (let n = start + 1; n <= count; n++) {
        const id = randomUUID();
        const at = new Date(base + n * 1000).toISOString();
        insertVersion.run(id, modelId, n, String(n), at, at);
        const accuracy = Math.round((0.7 + 0.25 * (1 - Math.exp(-n / 2000)) + 0.02 * Math.sin(n / 7)) * 1e4) / 1e4;
        insertMetadata.run(id, 'evaluation_metrics', JSON.stringify({ accuracy, loss: Math.round((1 - accuracy) * 1e4) / 1e4 }), 'dict', at);
        insertMetadata.run(id, 'learning_rate', JSON.stringify(0.001 * (1 + (n % 10))), 'float', at);
      }
      bump.run(count, new Date().toISOString(), modelId);
    }).immediate();
  } finally {
    db.close();
  }
  return { sec: (performance.now() - t0) / 1000 };
}

/** A small SVG picture (a confusion-matrix heat map), so that an image artifact is previewed. */
export function confusionMatrixSvg(): Buffer {
  const m = [
    [15, 0, 0],
    [0, 14, 1],
    [0, 0, 15],
  ];
  const cells = m
    .flatMap((row, i) =>
      row.map((v, j) => `<rect x="${40 + j * 40}" y="${10 + i * 40}" width="40" height="40" fill="rgb(37,99,235)" fill-opacity="${(0.08 + v / 16).toFixed(2)}"/><text x="${60 + j * 40}" y="${35 + i * 40}" text-anchor="middle" font-size="14" font-family="sans-serif">${v}</text>`),
    )
    .join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="170" height="140" viewBox="0 0 170 140">${cells}</svg>`);
}

/** Saves an image (data) and a deployment config onto `version` of `model`, through the SDK and the server. */
export async function saveExtraArtifacts(url: string, apiKey: string, model: string, version: number): Promise<void> {
  const client = new Client({ url, apiKey });
  try {
    const target = new Model({ name: model, version, client });
    await saveArtifact('confusion_matrix', confusionMatrixSvg(), { model: target, client });
    await saveArtifact('serving_config', { replicas: 2, endpoint: '/predict', resources: { cpu: '500m', memory: '256Mi' } }, { model: target, client, isDeploymentArtifact: true });
  } finally {
    await client.close();
  }
}
