import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { BlobInfo, BlobReader, BlobWriter } from '../artifacts/artifact-store.js';
import type { ArtifactVersion, Model, ModelVersion, Page, PipelineRun, RunStatus, StageHolding, StageTransition, StepRun } from '../domain/entities.js';
import { ModelplaneError, ValidationError, errorFromCode } from '../domain/errors.js';
import { MAX_PAGE_SIZE } from '../domain/pagination.js';
import type { ModelStages } from '../domain/stages.js';
import { parseVersionSelector } from '../domain/version-selector.js';
import type {
  Backend,
  CallerContext,
  CreateArtifactVersionInput,
  CreateModelInput,
  CreateModelVersionInput,
  CreatePipelineRunInput,
  CreateStepRunInput,
  FinishStepRunInput,
  ListArtifactVersionsQuery,
  ListModelVersionsQuery,
  ListModelsQuery,
  ListPipelineRunsQuery,
  MetadataTarget,
  ModelCardInput,
  UpdateModelInput,
  UpdateModelVersionInput,
} from './backend.js';
import {
  ACTOR_HEADER,
  API_PREFIX,
  CONTENT_SHA256_HEADER,
  encodeSegment as seg,
  metadataToWire,
  reviveArtifactVersion,
  reviveModel,
  reviveModelVersion,
  revivePipelineRun,
  reviveStageHolding,
  reviveStageTransition,
  reviveStepRun,
} from './wire.js';

/** Options of {@link HttpBackend}. */
export interface HttpBackendOptions {
  /** The server, e.g. `http://127.0.0.1:8237` (with or without `/api/v1`). */
  url: string;
  apiKey?: string;
  /** Sent as the actor of writes; a server with authentication records the key's name instead. */
  actor?: string;
}

type Query = Record<string, string | number | boolean | string[] | undefined | null>;

const CARD_FIELDS = ['license', 'description', 'audience', 'useCases', 'limitations', 'tradeOffs', 'ethics'] as const;

/** Copies the named fields that are present (the server rejects unknown fields). */
function pick<T extends object>(input: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (input as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function cardOf(input: ModelCardInput & { tags?: string[] }): Record<string, unknown> {
  return pick(input, [...CARD_FIELDS, 'tags']);
}

function revivePage<T>(json: unknown, revive: (x: unknown) => T): Page<T> {
  const p = json as Page<unknown>;
  return { items: p.items.map(revive), total: p.total, page: p.page, size: p.size };
}

/**
 * The backend interface over a modelplane server's REST API (DESIGN.md §4): the same entities, errors
 * (rebuilt with `errorFromCode`, so `instanceof NotFoundError` works) and streaming artifact bytes as
 * the embedded backend.
 * @example const backend = new HttpBackend({ url: 'http://127.0.0.1:8237', apiKey: process.env.MODELPLANE_API_KEY })
 */
export class HttpBackend implements Backend {
  readonly location: { database: string; artifacts: string };
  readonly #base: string;
  readonly #apiKey: string | undefined;
  readonly #actor: string | undefined;

  constructor(options: HttpBackendOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ValidationError(`"${options.url}" is not a server URL: use e.g. http://127.0.0.1:8237.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(`The server URL must start with http:// or https://, got "${options.url}".`);
    const root = url.toString().replace(/\/+$/, '').replace(new RegExp(`${API_PREFIX}$`), '');
    this.#base = `${root}${API_PREFIX}`;
    this.#apiKey = options.apiKey;
    this.#actor = options.actor;
    this.location = { database: root, artifacts: root };
  }

  // ── transport ─────────────────────────────────────────────────────────────────────────────

  #headers(extra: Record<string, string> = {}, caller?: CallerContext): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    const actor = caller?.actor ?? this.#actor;
    if (actor !== undefined && !/[\u0000-\u001f\u007f-\uffff]/.test(actor)) headers[ACTOR_HEADER] = actor;
    return headers;
  }

  #url(path: string, query?: Query): string {
    const url = `${this.#base}${path}`;
    if (!query) return url;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
      else params.append(k, String(v));
    }
    const qs = params.toString();
    return qs ? `${url}?${qs}` : url;
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ModelplaneError(`Cannot reach the modelplane server at ${this.location.database}: ${cause?.code ?? cause?.message ?? (err as Error).message}.`, 'internal');
    }
  }

  /** Turns a non-2xx response into the error class the server named. */
  async #fail(res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw errorFromCode(error.code, error.message, (error.details as Record<string, unknown> | undefined) ?? undefined);
    }
    throw new ModelplaneError(`The server answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}.`, res.status === 404 ? 'not_found' : 'internal');
  }

  async #json(method: string, path: string, options: { query?: Query; body?: unknown; caller?: CallerContext } = {}): Promise<unknown> {
    const hasBody = options.body !== undefined;
    const res = await this.#fetch(this.#url(path, options.query), {
      method,
      headers: this.#headers(hasBody ? { 'content-type': 'application/json' } : {}, options.caller),
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
    });
    if (!res.ok) return this.#fail(res);
    if (res.status === 204) {
      await res.body?.cancel();
      return undefined;
    }
    return res.json();
  }

  /** Every item of a paged listing. */
  async #all<T>(path: string, revive: (x: unknown) => T, query: Query = {}): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const p = revivePage(await this.#json('GET', path, { query: { ...query, page, size: MAX_PAGE_SIZE } }), revive);
      out.push(...p.items);
      if (p.items.length === 0 || out.length >= p.total) return out;
    }
  }

  // ── models ────────────────────────────────────────────────────────────────────────────────

  async createModel(input: CreateModelInput): Promise<Model> {
    return reviveModel(await this.#json('POST', '/models', { body: { ...cardOf(input), name: input.name } }));
  }

  async getModel(nameOrId: string): Promise<Model> {
    return reviveModel(await this.#json('GET', `/models/${seg(nameOrId)}`));
  }

  async listModels(query: ListModelsQuery = {}): Promise<Page<Model>> {
    return revivePage(await this.#json('GET', '/models', { query: pick(query, ['name', 'tag', 'filter', 'sortBy', 'page', 'size']) as Query }), reviveModel);
  }

  async updateModel(nameOrId: string, patch: UpdateModelInput): Promise<Model> {
    return reviveModel(await this.#json('PATCH', `/models/${seg(nameOrId)}`, { body: pick(patch, [...CARD_FIELDS, 'name', 'addTags', 'removeTags']) }));
  }

  async deleteModel(nameOrId: string): Promise<void> {
    await this.#json('DELETE', `/models/${seg(nameOrId)}`);
  }

  // ── versions ──────────────────────────────────────────────────────────────────────────────

  #versionBody(input: CreateModelVersionInput): Record<string, unknown> {
    return {
      ...pick(input, ['model', 'name', 'description', 'tags']),
      ...(input.createModel ? { createModel: cardOf(input.createModel) } : {}),
    };
  }

  async createModelVersion(input: CreateModelVersionInput, caller?: CallerContext): Promise<ModelVersion> {
    return reviveModelVersion(await this.#json('POST', '/model_versions', { body: this.#versionBody(input), ...(caller ? { caller } : {}) }));
  }

  async getOrCreateModelVersion(input: CreateModelVersionInput & { name: string }): Promise<{ version: ModelVersion; created: boolean }> {
    const r = (await this.#json('POST', '/model_versions/get_or_create', { body: this.#versionBody(input) })) as { version: unknown; created: boolean };
    return { version: reviveModelVersion(r.version), created: r.created };
  }

  #selector(version: string | number | ModelStages | undefined): string {
    if (version === undefined || version === null) return 'latest';
    parseVersionSelector(version);
    return seg(version);
  }

  async getModelVersion(model: string, version?: string | number | ModelStages): Promise<ModelVersion> {
    return reviveModelVersion(await this.#json('GET', `/models/${seg(model)}/versions/${this.#selector(version)}`));
  }

  async getModelVersionById(id: string): Promise<ModelVersion> {
    return reviveModelVersion(await this.#json('GET', `/model_versions/${seg(id)}`));
  }

  async getModelVersionId(model: string, version?: string | number | ModelStages): Promise<string> {
    return (await this.getModelVersion(model, version)).id;
  }

  async listModelVersions(query: ListModelVersionsQuery): Promise<Page<ModelVersion>> {
    return revivePage(
      await this.#json('GET', '/model_versions', { query: pick(query, ['model', 'stage', 'tag', 'name', 'filter', 'sortBy', 'page', 'size']) as Query }),
      reviveModelVersion,
    );
  }

  async updateModelVersion(model: string, version: string | number, patch: UpdateModelVersionInput, caller?: CallerContext): Promise<ModelVersion> {
    const body = pick(patch, ['stage', 'force', 'reason', 'name', 'description', 'addTags', 'removeTags']);
    return reviveModelVersion(await this.#json('PATCH', `/models/${seg(model)}/versions/${this.#selector(version)}`, { body, ...(caller ? { caller } : {}) }));
  }

  async deleteModelVersion(id: string): Promise<void> {
    await this.#json('DELETE', `/model_versions/${seg(id)}`);
  }

  async getStageHistory(model: string, options: { stage?: string } = {}): Promise<StageTransition[]> {
    return this.#all(`/models/${seg(model)}/stage_history`, reviveStageTransition, { stage: options.stage });
  }

  async getStageHolding(model: string, stage: string, at: Date): Promise<StageHolding> {
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ValidationError('"at" must be a valid date, e.g. 2026-12-01T12:00:00Z.');
    return reviveStageHolding(await this.#json('GET', `/models/${seg(model)}/stage_history`, { query: { stage, at: at.toISOString() } }));
  }

  // ── artifacts ─────────────────────────────────────────────────────────────────────────────

  async openBlobWriter(): Promise<BlobWriter> {
    return new HttpBlobWriter(this.#url('/blobs'), this.#headers({ 'content-type': 'application/octet-stream' }), (url, init) => this.#fetch(url, init), (res) => this.#fail(res));
  }

  async openBlobReader(contentHash: string): Promise<BlobReader> {
    const url = this.#url(`/blobs/${seg(contentHash)}`);
    const open = async () => {
      const res = await this.#fetch(url, { method: 'GET', headers: this.#headers({ accept: 'application/octet-stream' }) });
      if (!res.ok) return this.#fail(res);
      return res;
    };
    const first = await open();
    const size = Number(first.headers.get('x-blob-size') ?? first.headers.get('content-length'));
    const hash = first.headers.get(CONTENT_SHA256_HEADER) ?? contentHash;
    let pending: Response | undefined = first;
    const take = async (): Promise<Response> => {
      const res = pending ?? (await open());
      pending = undefined;
      return res;
    };
    return {
      contentHash: hash,
      size,
      stream(): Readable {
        const out = new PassThrough();
        take().then(
          (res) => {
            if (!res.body) return out.end();
            const src = Readable.fromWeb(res.body as unknown as NodeWebReadableStream<Uint8Array>);
            src.on('error', (err) => out.destroy(err));
            src.pipe(out);
          },
          (err: unknown) => out.destroy(err as Error),
        );
        return out;
      },
      async bytes(): Promise<Uint8Array> {
        const buf = Buffer.from(await (await take()).arrayBuffer());
        if (buf.length !== size) throw new ModelplaneError(`Blob ${hash} arrived with ${buf.length} bytes; the server announced ${size}.`, 'internal');
        return buf;
      },
    };
  }

  async createArtifactVersion(input: CreateArtifactVersionInput): Promise<ArtifactVersion> {
    const body = {
      ...pick(input, ['name', 'version', 'type', 'contentHash', 'materializer', 'dataType', 'tags', 'modelVersionId', 'producerRunId', 'producerStepRunId']),
      ...(input.metadata === undefined ? {} : metadataToWire(input.metadata)),
    };
    return reviveArtifactVersion(await this.#json('POST', '/artifact_versions', { body }));
  }

  async getArtifactVersion(nameOrId: string, version?: number | string): Promise<ArtifactVersion> {
    return reviveArtifactVersion(await this.#json('GET', `/artifact_versions/${seg(nameOrId)}`, { query: { version: version === undefined || version === null ? undefined : String(version) } }));
  }

  async listArtifactVersions(query: ListArtifactVersionsQuery = {}): Promise<Page<ArtifactVersion>> {
    return revivePage(await this.#json('GET', '/artifact_versions', { query: pick(query, ['name', 'type', 'modelVersionId', 'runId', 'page', 'size']) as Query }), reviveArtifactVersion);
  }

  async linkArtifactVersion(modelVersionId: string, artifactVersionId: string): Promise<void> {
    await this.#json('PUT', `/model_versions/${seg(modelVersionId)}/artifacts/${seg(artifactVersionId)}`);
  }

  async gcArtifacts(): Promise<{ deleted: number; bytesFreed: number }> {
    return (await this.#json('POST', '/maintenance/gc')) as { deleted: number; bytesFreed: number };
  }

  // ── metadata and runs ─────────────────────────────────────────────────────────────────────

  async logMetadata(target: MetadataTarget, metadata: Record<string, unknown>): Promise<void> {
    await this.#json('POST', '/run_metadata', { body: { targetType: target.type, targetId: target.id, ...metadataToWire(metadata) } });
  }

  async createPipelineRun(input: CreatePipelineRunInput): Promise<PipelineRun> {
    let parameters: Record<string, unknown> | undefined;
    try {
      parameters = input.parameters === undefined ? undefined : (JSON.parse(JSON.stringify(input.parameters)) as Record<string, unknown>);
    } catch {
      throw new ValidationError('Pipeline parameters must be JSON-serializable.');
    }
    const body = { ...pick(input, ['id', 'name', 'pipelineName', 'status', 'modelVersionId']), ...(parameters === undefined ? {} : { parameters }) };
    return revivePipelineRun(await this.#json('POST', '/runs', { body }));
  }

  async getPipelineRun(id: string): Promise<PipelineRun> {
    return revivePipelineRun(await this.#json('GET', `/runs/${seg(id)}`));
  }

  async listPipelineRuns(query: ListPipelineRunsQuery = {}): Promise<Page<PipelineRun>> {
    return revivePage(await this.#json('GET', '/runs', { query: pick(query, ['pipeline', 'modelVersionId', 'status', 'page', 'size']) as Query }), revivePipelineRun);
  }

  async updatePipelineRun(id: string, patch: { status: RunStatus; error?: string | null; ended?: boolean }): Promise<PipelineRun> {
    return revivePipelineRun(await this.#json('PATCH', `/runs/${seg(id)}`, { body: pick(patch, ['status', 'error', 'ended']) }));
  }

  async createStepRun(input: CreateStepRunInput): Promise<StepRun> {
    return reviveStepRun(await this.#json('POST', '/step_runs', { body: pick(input, ['id', 'pipelineRunId', 'name', 'status', 'cacheKey', 'modelVersionId', 'inputs']) }));
  }

  async finishStepRun(id: string, input: FinishStepRunInput): Promise<StepRun> {
    return reviveStepRun(await this.#json('POST', `/step_runs/${seg(id)}/finish`, { body: pick(input, ['status', 'cacheHit', 'outputs', 'error', 'logs']) }));
  }

  async getStepRun(id: string): Promise<StepRun> {
    return reviveStepRun(await this.#json('GET', `/step_runs/${seg(id)}`));
  }

  async findStepRun(pipelineRunId: string, name: string): Promise<StepRun> {
    return reviveStepRun(await this.#json('GET', `/runs/${seg(pipelineRunId)}/step_runs/${seg(name)}`));
  }

  async listStepRuns(pipelineRunId: string): Promise<StepRun[]> {
    return this.#all(`/runs/${seg(pipelineRunId)}/step_runs`, reviveStepRun);
  }

  async findCachedStepRun(cacheKey: string): Promise<StepRun | null> {
    const r = (await this.#json('GET', '/step_runs/cached', { query: { cacheKey: String(cacheKey) } })) as { stepRun: unknown };
    return r.stepRun === null ? null : reviveStepRun(r.stepRun);
  }

  async linkRunToModelVersion(modelVersionId: string, runId: string, relation: 'producer' | 'consumer'): Promise<void> {
    await this.#json('PUT', `/model_versions/${seg(modelVersionId)}/runs/${seg(runId)}`, { body: { relation } });
  }

  async checkIntegrity(): Promise<string[]> {
    return ((await this.#json('GET', '/maintenance/integrity')) as { problems: string[] }).problems;
  }

  async close(): Promise<void> {
    // Nothing to release: fetch pools connections process-wide.
  }
}

/**
 * Streams the bytes of one blob to `POST /blobs` as they are written (one request, a streamed body),
 * hashing them on the way; `commit()` ends the body and checks the server's hash against the local one.
 */
class HttpBlobWriter implements BlobWriter {
  readonly #body = new PassThrough({ highWaterMark: 1024 * 1024 });
  readonly #hash = createHash('sha256');
  readonly #abort = new AbortController();
  readonly #response: Promise<Response>;
  readonly #fail: (res: Response) => Promise<never>;
  #settled: Response | Error | undefined;
  #state: 'open' | 'committing' | 'done' | 'aborted' = 'open';

  constructor(url: string, headers: Record<string, string>, doFetch: (url: string, init: RequestInit) => Promise<Response>, fail: (res: Response) => Promise<never>) {
    this.#fail = fail;
    this.#response = doFetch(url, { method: 'POST', headers, body: this.#body, duplex: 'half', signal: this.#abort.signal } as RequestInit);
    this.#response.then(
      (res) => (this.#settled = res),
      (err: unknown) => (this.#settled = err as Error),
    );
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    if (this.#state !== 'open') throw new ModelplaneError(`This blob writer is ${this.#state === 'aborted' ? 'aborted' : 'committed'}.`);
    if (this.#settled !== undefined) await this.#early();
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.byteLength === 0) return;
    this.#hash.update(buf);
    // Copy: the caller may reuse its chunk once write() resolves, but the body may still hold it.
    if (!this.#body.write(Buffer.from(buf))) {
      await Promise.race([new Promise<void>((resolve) => this.#body.once('drain', resolve)), this.#response.then(() => this.#early())]);
    }
  }

  /** The server answered before the body ended (authentication, authorization …): surface its error. */
  async #early(): Promise<void> {
    const settled = this.#settled;
    if (settled instanceof Error) throw settled;
    if (settled && !settled.ok) {
      this.#state = 'aborted';
      this.#body.destroy();
      await this.#fail(settled);
    }
  }

  async commit(expectedHash?: string): Promise<BlobInfo> {
    if (this.#state !== 'open') throw new ModelplaneError(`This blob writer is ${this.#state === 'aborted' ? 'aborted' : 'committed'}.`);
    this.#state = 'committing';
    const local = this.#hash.digest('hex');
    try {
      if (expectedHash !== undefined && expectedHash.toLowerCase() !== local) {
        throw new ValidationError(`Content hash mismatch: expected ${expectedHash}, got ${local}`, { expected: expectedHash, actual: local });
      }
      this.#body.end();
      const res = await this.#response;
      if (!res.ok) await this.#fail(res);
      const info = (await res.json()) as BlobInfo;
      if (info.contentHash !== local) {
        throw new ModelplaneError(`The server stored the blob as ${info.contentHash}, but the bytes sent hash to ${local}: the upload was corrupted.`, 'conflict');
      }
      this.#state = 'done';
      return info;
    } catch (err) {
      this.#state = 'aborted';
      this.#abort.abort();
      this.#body.destroy();
      throw err;
    }
  }

  async abort(): Promise<void> {
    if (this.#state === 'done' || this.#state === 'aborted') return;
    this.#state = 'aborted';
    this.#abort.abort();
    this.#body.destroy();
    await this.#response.then(
      (res) => res.body?.cancel().catch(() => undefined),
      () => undefined,
    );
  }
}
