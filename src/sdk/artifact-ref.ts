import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactVersion, ModelVersion } from '../domain/entities.js';
import { NotFoundError } from '../domain/errors.js';
import { loadArtifactValue } from './artifact-io.js';
import type { Client } from './client.js';

/** Which artifacts of a model version a ref looks among. */
export type ArtifactGroupFilter = 'model' | 'data' | 'deployment' | 'any';

const GROUP_TYPES: Record<ArtifactGroupFilter, ArtifactType[] | undefined> = {
  model: ['model'],
  deployment: ['deployment'],
  data: ['data', 'statistics', 'schema', 'analysis'],
  any: undefined,
};

/**
 * A lazy reference to an artifact of a model version: nothing is looked up until `resolve()` or
 * `load()` — or, passed to a step, until that step runs.
 * @example const clf = await new Model({ name: 'iris', version: 'production' }).getModelArtifact('trained_model').load()
 */
export class ArtifactRef<T = unknown> {
  /** Artifact name. */
  readonly name: string;
  /** Explicit artifact version; absent → the highest version linked to the model version. */
  readonly version: number | undefined;
  /** The group the artifact must belong to. */
  readonly group: ArtifactGroupFilter;
  readonly #client: Client;
  readonly #modelVersion: () => Promise<ModelVersion>;

  /** @internal Use `model.getModelArtifact(...)` and friends. */
  constructor(client: Client, modelVersion: () => Promise<ModelVersion>, name: string, version: number | undefined, group: ArtifactGroupFilter) {
    this.#client = client;
    this.#modelVersion = modelVersion;
    this.name = name;
    this.version = version;
    this.group = group;
  }

  /** The model version this ref points into. */
  modelVersion(): Promise<ModelVersion> {
    return this.#modelVersion();
  }

  /** Finds the artifact version now; `NotFoundError` naming model, version and artifact if absent. */
  async resolve(): Promise<ArtifactVersion> {
    const mv = await this.#modelVersion();
    const backend = await this.#client.backend();
    const types = GROUP_TYPES[this.group];
    const page = await backend.listArtifactVersions({ modelVersionId: mv.id, name: this.name, ...(types ? { type: types } : {}), size: 1000 });
    const candidates = this.version === undefined ? page.items : page.items.filter((a) => a.version === this.version);
    const best = candidates.reduce<ArtifactVersion | undefined>((a, b) => (a === undefined || b.version > a.version ? b : a), undefined);
    if (!best) {
      const kind = this.group === 'any' ? 'artifact' : `${this.group} artifact`;
      const which = this.version === undefined ? `"${this.name}"` : `"${this.name}" version ${this.version}`;
      throw new NotFoundError(`Model "${mv.modelName}" version ${mv.number} ("${mv.name}") has no ${kind} ${which}.`, {
        model: mv.modelName,
        modelVersion: mv.number,
        artifact: this.name,
      });
    }
    return best;
  }

  /** Resolves and loads the value. */
  async load(): Promise<T> {
    const av = await this.resolve();
    return (await loadArtifactValue(await this.#client.backend(), av)) as T;
  }
}
