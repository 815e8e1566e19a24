import type { ModelCardInput } from '../backend/backend.js';
import type { ArtifactVersion, ModelVersion, RunMetadata } from '../domain/entities.js';
import { ValidationError } from '../domain/errors.js';
import { validateModelName, validateTags } from '../domain/names.js';
import { parseSettableStage, type ModelStages, type Stage } from '../domain/stages.js';
import { parseVersionSelector, type VersionSelector } from '../domain/version-selector.js';
import { renderVersionTemplate } from '../domain/version-template.js';
import { ArtifactRef, type ArtifactGroupFilter } from './artifact-ref.js';
import { Client } from './client.js';

/** Options of `new Model(...)`. */
export interface ModelOptions extends ModelCardInput {
  name: string;
  /**
   * Which version: absent → a new one (per pipeline run; outside a run, one per `Model` object),
   * a number, `latest`, a stage, a name (get-or-create) or a template such as `{date}_{time}`.
   */
  version?: string | number | ModelStages;
  /** Tags for the version this `Model` creates. */
  tags?: string[];
  /** Description of the version this `Model` creates. */
  versionDescription?: string;
  /** Custom template placeholders, e.g. `{ team: 'vision' }` for `{team}`. */
  substitutions?: Record<string, string | number>;
  /** Client to use; default `Client.active()`. */
  client?: Client;
}

/**
 * A model version as code refers to it: by model name and a version selector, resolved lazily on
 * first use and pinned afterwards (later promotions do not move it).
 * @example
 * const prod = new Model({ name: 'iris_classifier', version: ModelStages.PRODUCTION })
 * const clf = await prod.loadArtifact('trained_model')
 * await new Model({ name: 'iris_classifier', version: ModelStages.LATEST }).setStage('staging')
 */
export class Model {
  readonly name: string;
  /** The selector as given. */
  readonly version: string | number | undefined;
  readonly options: Readonly<ModelOptions>;
  readonly #selector: VersionSelector;
  #resolved: Promise<ModelVersion> | undefined;
  #pinnedId: string | undefined;

  constructor(options: ModelOptions) {
    if (options === null || typeof options !== 'object') throw new ValidationError('new Model({ name, version? }) takes an options object.');
    this.name = validateModelName(options.name);
    this.version = options.version;
    this.#selector = parseVersionSelector(options.version);
    validateTags(options.tags);
    this.options = { ...options };
  }

  /** The client this model talks through. */
  get client(): Client {
    return this.options.client ?? Client.active();
  }

  /** The parsed version selector. */
  get selector(): VersionSelector {
    return this.#selector;
  }

  /** Resolves the version (creating it when the selector says so) once; later calls return the same version. */
  getVersion(): Promise<ModelVersion> {
    if (this.#pinnedId !== undefined) return this.#refresh();
    this.#resolved ??= this.#resolve().then(
      (mv) => {
        this.#pinnedId = mv.id;
        return mv;
      },
      (error: unknown) => {
        this.#resolved = undefined;
        throw error;
      },
    );
    return this.#resolved;
  }

  async #refresh(): Promise<ModelVersion> {
    return (await this.client.backend()).getModelVersionById(this.#pinnedId!);
  }

  /** @internal Pins this object to an already-resolved version (used by pipeline runs). */
  pin(version: ModelVersion): void {
    this.#pinnedId = version.id;
    this.#resolved = Promise.resolve(version);
  }

  /** @internal Makes this object's version whatever `version` resolves to (pipeline runs resolve it at start). */
  bind(version: Promise<ModelVersion>): void {
    this.#resolved = version.then((mv) => {
      this.#pinnedId = mv.id;
      return mv;
    });
    // Rejections surface to whoever awaits the version; an unobserved one must not crash the process.
    this.#resolved.catch(() => undefined);
  }

  /**
   * @internal A fresh, unresolved copy with the same options (one per pipeline run). A model without a
   * client of its own gets `client` (the run's), so that its version lives in the store the run is recorded in.
   */
  clone(client?: Client): Model {
    return new Model({ ...this.options, ...(this.options.client === undefined && client !== undefined ? { client } : {}) });
  }

  /** @internal Identifies what this model selects: the same key in one run means the same version. */
  get resolutionKey(): string {
    return this.#selector.kind === 'new' ? `new:${this.name}` : `${this.name}:${JSON.stringify(this.version)}`;
  }

  /** @internal Resolves (creating where the selector says so) without caching, rendering templates with `ctx`. */
  resolveWith(ctx: { run?: { id: string; name: string }; pipeline?: { name: string }; substitutions?: Record<string, string | number> }): Promise<ModelVersion> {
    return this.#resolve(ctx);
  }

  async #resolve(ctx: { run?: { id: string; name: string }; pipeline?: { name: string }; substitutions?: Record<string, string | number> } = {}): Promise<ModelVersion> {
    const backend = await this.client.backend();
    const card: ModelCardInput & { tags?: string[] } = {};
    for (const field of ['license', 'description', 'audience', 'useCases', 'limitations', 'tradeOffs', 'ethics'] as const) {
      if (this.options[field] !== undefined) card[field] = this.options[field];
    }
    const versionInput = {
      model: this.name,
      createModel: card,
      ...(this.options.tags === undefined ? {} : { tags: this.options.tags }),
      ...(this.options.versionDescription === undefined ? {} : { description: this.options.versionDescription }),
    };
    switch (this.#selector.kind) {
      case 'new':
        return backend.createModelVersion(versionInput);
      case 'name':
        return (await backend.getOrCreateModelVersion({ ...versionInput, name: this.#selector.name })).version;
      case 'template': {
        const substitutions = { ...ctx.substitutions, ...this.options.substitutions };
        const name = renderVersionTemplate(this.#selector.template, {
          now: new Date(),
          ...(ctx.run ? { run: ctx.run } : {}),
          ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}),
          substitutions,
        });
        return (await backend.getOrCreateModelVersion({ ...versionInput, name })).version;
      }
      case 'number':
        return backend.getModelVersion(this.name, this.#selector.number);
      case 'latest':
        return backend.getModelVersion(this.name, 'latest');
      case 'stage':
        return backend.getModelVersion(this.name, this.#selector.stage);
      case 'id':
        return backend.getModelVersion(this.name, this.#selector.id);
    }
  }

  /** The version's id (resolves it; once pinned, no lookup at all). */
  async getId(): Promise<string> {
    return this.#pinnedId ?? (await this.getVersion()).id;
  }

  /** The version's current metadata, newest value per key. */
  async getRunMetadata(): Promise<RunMetadata> {
    return (await this.getVersion()).runMetadata;
  }

  /**
   * Moves this version to `stage`. If another version holds staging/production, a
   * `StageConflictError` names it unless `force`, which archives the holder in the same transaction.
   */
  async setStage(stage: Stage | ModelStages, options: { force?: boolean; reason?: string } = {}): Promise<ModelVersion> {
    const target = parseSettableStage(stage);
    const id = await this.getId();
    const backend = await this.client.backend();
    return backend.updateModelVersion(this.name, id, { stage: target, force: options.force === true, ...(options.reason === undefined ? {} : { reason: options.reason }) }, { actor: this.client.config.actor });
  }

  /** Appends metadata to this version (newest value per key wins on read). */
  async logMetadata(metadata: Record<string, unknown>): Promise<void> {
    await (await this.client.backend()).logMetadata({ type: 'model_version', id: await this.getId() }, metadata);
  }

  /** A lazy ref to an artifact of any type linked to this version. */
  getArtifact<T = unknown>(name: string, version?: number): ArtifactRef<T> {
    return this.#ref<T>(name, version, 'any');
  }

  /** A lazy ref to a model artifact (type `model`) linked to this version. */
  getModelArtifact<T = unknown>(name: string, version?: number): ArtifactRef<T> {
    return this.#ref<T>(name, version, 'model');
  }

  /** A lazy ref to a data artifact (data, statistics, schema, analysis) linked to this version. */
  getDataArtifact<T = unknown>(name: string, version?: number): ArtifactRef<T> {
    return this.#ref<T>(name, version, 'data');
  }

  /** A lazy ref to a deployment artifact linked to this version. */
  getDeploymentArtifact<T = unknown>(name: string, version?: number): ArtifactRef<T> {
    return this.#ref<T>(name, version, 'deployment');
  }

  /** Loads the value of an artifact linked to this version (any type). */
  async loadArtifact<T = unknown>(name: string, version?: number): Promise<T> {
    return this.getArtifact<T>(name, version).load();
  }

  /** Links an existing artifact version to this model version (idempotent). */
  async linkArtifact(artifact: ArtifactVersion | string): Promise<void> {
    const id = typeof artifact === 'string' ? artifact : artifact.id;
    await (await this.client.backend()).linkArtifactVersion(await this.getId(), id);
  }

  #ref<T>(name: string, version: number | undefined, group: ArtifactGroupFilter): ArtifactRef<T> {
    return new ArtifactRef<T>(this.client, () => this.getVersion(), name, version, group);
  }
}
