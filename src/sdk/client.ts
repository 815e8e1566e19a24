import type { Backend, CreateModelInput, ListArtifactVersionsQuery, ListModelVersionsQuery, ListModelsQuery, ListPipelineRunsQuery, UpdateModelInput, UpdateModelVersionInput } from '../backend/backend.js';
import { EmbeddedBackend } from '../backend/embedded-backend.js';
import type { ArtifactVersion, Model, ModelVersion, Page, PipelineRun, StageHolding, StageTransition } from '../domain/entities.js';
import { ModelplaneError, ValidationError } from '../domain/errors.js';
import type { ModelStages, Stage } from '../domain/stages.js';
import { loadArtifactValue, saveArtifactValue, type SaveArtifactOptions } from './artifact-io.js';
import { resolveConfig, type ConfigOptions, type ResolvedConfig } from './config.js';
import { logMetadataWith, type LogMetadataOptions } from './log-metadata.js';

/** Options of `new Client(...)`. With none, the active configuration is used (environment, then `~/.modelplane`). */
export interface ClientOptions extends ConfigOptions {
  /** Use this backend instead of opening one (tests, embedding in a server). */
  backend?: Backend;
}

/** Input of `client.createModelVersion`. */
export interface CreateModelVersionOptions {
  model: string;
  name?: string;
  description?: string;
  tags?: string[];
}

/** Options of `client.getStageHistory`. */
export interface StageHistoryOptions {
  stage?: Stage;
  at?: Date | string;
}

let active: Client | undefined;

/**
 * The entry point to a registry: models, versions, stages, artifacts, metadata and runs, on an
 * embedded store or a server, through the same methods.
 * @example
 * const client = new Client()                          // ~/.modelplane, or MODELPLANE_HOME
 * await client.createModel({ name: 'iris_classifier', license: 'Apache 2.0', tags: ['classification'] })
 * const v = await client.createModelVersion({ model: 'iris_classifier' })
 * await client.updateModelVersion('iris_classifier', v.number, { stage: 'production' })
 */
export class Client {
  /** The resolved configuration (where the data lives, who acts). */
  readonly config: ResolvedConfig;
  #backend: Promise<Backend> | undefined;

  constructor(options: ClientOptions = {}) {
    this.config = resolveConfig(options);
    if (options.backend) this.#backend = Promise.resolve(options.backend);
  }

  /** The process-wide default client used by `new Model(...)`, `saveArtifact` and `logMetadata` when none is given. */
  static active(): Client {
    active ??= new Client();
    return active;
  }

  /** Replaces the process-wide default client (returns the previous one). */
  static setActive(client: Client | undefined): Client | undefined {
    const previous = active;
    active = client;
    return previous;
  }

  /** The backend this client talks to, opened on first use. */
  backend(): Promise<Backend> {
    this.#backend ??= this.#open();
    return this.#backend;
  }

  async #open(): Promise<Backend> {
    if (this.config.kind === 'server') {
      const { HttpBackend } = await import('../backend/http-backend.js');
      return new HttpBackend({ url: this.config.url!, ...(this.config.apiKey === undefined ? {} : { apiKey: this.config.apiKey }), actor: this.config.actor });
    }
    return EmbeddedBackend.open({ database: this.config.database, artifacts: this.config.artifacts, actor: this.config.actor, durability: this.config.durability });
  }

  /** Where this client's data lives. */
  async location(): Promise<{ database: string; artifacts: string }> {
    return (await this.backend()).location;
  }

  /** Registers a model. A taken name is an `EntityExistsError`. */
  async createModel(input: CreateModelInput): Promise<Model> {
    return (await this.backend()).createModel(input);
  }

  /** Gets a model by name or id; `NotFoundError` if absent. */
  async getModel(nameOrId: string): Promise<Model> {
    return (await this.backend()).getModel(nameOrId);
  }

  /** Lists models (name contains `name`, has `tag`, matches `filter`), sorted, one page at a time. */
  async listModels(query: ListModelsQuery = {}): Promise<Page<Model>> {
    return (await this.backend()).listModels(query);
  }

  /** Changes the given fields of a model, and adds or removes tags. */
  async updateModel(nameOrId: string, patch: UpdateModelInput): Promise<Model> {
    return (await this.backend()).updateModel(nameOrId, patch);
  }

  /** Deletes a model with its versions, their links, metadata and stage history (artifacts and runs stay). */
  async deleteModel(nameOrId: string): Promise<void> {
    return (await this.backend()).deleteModel(nameOrId);
  }

  /** Creates the next version of a model (number max+1; `name` defaults to the number). */
  async createModelVersion(input: CreateModelVersionOptions): Promise<ModelVersion> {
    return (await this.backend()).createModelVersion(input);
  }

  /**
   * Gets a version by id, number, name or stage (`latest`, `staging`, `production`, `archived`).
   * Without `version`, the latest.
   */
  async getModelVersion(model: string, version?: string | number | ModelStages): Promise<ModelVersion> {
    return (await this.backend()).getModelVersion(model, version);
  }

  /** Lists a model's versions, optionally by stage, tag, name or filter, one page at a time. */
  async listModelVersions(query: ListModelVersionsQuery): Promise<Page<ModelVersion>> {
    return (await this.backend()).listModelVersions(query);
  }

  /**
   * Changes a version: its stage (with `force` to displace the holder of an exclusive stage, and a
   * `reason` for the history), name, description or tags — all in one transaction.
   */
  async updateModelVersion(model: string, version: string | number, patch: UpdateModelVersionInput): Promise<ModelVersion> {
    return (await this.backend()).updateModelVersion(model, version, patch, { actor: this.config.actor });
  }

  /** Deletes a version (by id) with its links and metadata; its stage history stays. */
  async deleteModelVersion(id: string): Promise<void> {
    return (await this.backend()).deleteModelVersion(id);
  }

  /** The stage transitions of a model, oldest first (optionally only those touching `stage`). */
  getStageHistory(model: string, options?: { stage?: Stage }): Promise<StageTransition[]>;
  /** Who held `stage` at moment `at`. */
  getStageHistory(model: string, options: { stage: Stage; at: Date | string }): Promise<StageHolding>;
  async getStageHistory(model: string, options: StageHistoryOptions = {}): Promise<StageTransition[] | StageHolding> {
    const backend = await this.backend();
    if (options.at !== undefined) {
      if (options.stage === undefined) throw new ValidationError('getStageHistory with "at" needs a "stage": who held which stage at that time?');
      return backend.getStageHolding(model, options.stage, toDate(options.at));
    }
    return backend.getStageHistory(model, options.stage === undefined ? {} : { stage: options.stage });
  }

  /** Lists artifact versions (by name, type, model version or run), one page at a time. */
  async listArtifactVersions(query: ListArtifactVersionsQuery = {}): Promise<Page<ArtifactVersion>> {
    return (await this.backend()).listArtifactVersions(query);
  }

  /** Gets an artifact version by id, or by name and version (absent → the highest). */
  async getArtifactVersion(nameOrId: string, version?: number): Promise<ArtifactVersion> {
    return (await this.backend()).getArtifactVersion(nameOrId, version);
  }

  /** Loads the value of an artifact version, as the type it was saved with. */
  async loadArtifact(nameOrId: string | ArtifactVersion, version?: number): Promise<unknown> {
    const backend = await this.backend();
    const av = typeof nameOrId === 'string' ? await backend.getArtifactVersion(nameOrId, version) : nameOrId;
    return loadArtifactValue(backend, av);
  }

  /** Stores a value as the next version of artifact `name` (see {@link saveArtifact}). */
  async saveArtifact(name: string, value: unknown, options: SaveArtifactOptions = {}): Promise<ArtifactVersion> {
    return saveArtifactValue(await this.backend(), name, value, options);
  }

  /** Attaches metadata to a model version, artifact version or run (see {@link logMetadata}). */
  async logMetadata(options: LogMetadataOptions): Promise<void> {
    return logMetadataWith(this, options);
  }

  /** Frees stored artifact bytes that no artifact version refers to. */
  async gcArtifacts(): Promise<{ deleted: number; bytesFreed: number }> {
    return (await this.backend()).gcArtifacts();
  }

  /** Lists pipeline runs, newest first. */
  async listPipelineRuns(query: ListPipelineRunsQuery = {}): Promise<Page<PipelineRun>> {
    return (await this.backend()).listPipelineRuns(query);
  }

  /** Gets a pipeline run by id. */
  async getPipelineRun(id: string): Promise<PipelineRun> {
    return (await this.backend()).getPipelineRun(id);
  }

  /** Closes connections; the client can not be used afterwards. */
  async close(): Promise<void> {
    if (active === this) active = undefined;
    const backend = this.#backend;
    this.#backend = Promise.reject(new ModelplaneError('This client is closed.'));
    this.#backend.catch(() => undefined);
    // A backend that failed to open has nothing to close; its error already went to the call that opened it.
    if (backend) await (await backend.catch(() => undefined))?.close();
  }
}

function toDate(value: Date | string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationError(`"${String(value)}" is not a date: use e.g. 2026-12-01T12:00:00Z.`);
  return d;
}
