import type { ModelVersion } from '../../domain/entities.js';
import type { Client } from '../client.js';
import type { Model } from '../model.js';

/** What version templates of one run can refer to. */
export interface RunTemplateContext {
  run: { id: string; name: string };
  pipeline: { name: string };
  substitutions?: Record<string, string | number>;
}

/**
 * The models of one pipeline run. Each distinct model (by name and selector) gets one run-scoped copy
 * whose version is resolved once when the run starts and pinned for the whole run; every step naming
 * the same model without a version shares the run's one new version.
 */
export class RunModels {
  readonly #scoped = new Map<string, { template: Model; scoped: Model; resolve?: (v: Promise<ModelVersion>) => void }>();
  readonly #client: Client | undefined;

  /** `client`: the run's client, used by every model of the run that names no client of its own. */
  constructor(client?: Client) {
    this.#client = client;
  }

  /** The run-scoped copy of `template` (created on first request). Its version is bound by {@link resolveAll}. */
  scoped(template: Model): Model {
    const key = template.resolutionKey;
    let entry = this.#scoped.get(key);
    if (!entry) {
      const scoped = template.clone(this.#client);
      entry = { template, scoped };
      // The body may hand out lazy refs before the run starts: bind a deferred version now.
      scoped.bind(new Promise<ModelVersion>((resolve, reject) => {
        entry!.resolve = (v) => v.then(resolve, reject);
      }));
      this.#scoped.set(key, entry);
    }
    return entry.scoped;
  }

  /**
   * Resolves every model of the run; the first failure is thrown (nothing has run yet). Selectors that
   * only look a version up (number, id, `latest`, a stage) go first, then templates, names and new
   * versions, each group in first-use order: a run refused because, say, no version is in production
   * must not leave behind a new, empty version (or model) created for another of its models.
   */
  async resolveAll(ctx: RunTemplateContext): Promise<Map<Model, ModelVersion>> {
    const resolved = new Map<Model, ModelVersion>();
    const rank = (m: Model) => ({ number: 0, id: 0, latest: 0, stage: 0, template: 1, name: 2, new: 3 })[m.selector.kind];
    const entries = [...this.#scoped.values()].sort((a, b) => rank(a.template) - rank(b.template));
    for (const entry of entries) {
      const version = entry.scoped.resolveWith(ctx);
      entry.resolve!(version);
      resolved.set(entry.scoped, await version);
    }
    return resolved;
  }

  /** Releases deferred versions that will never resolve (the run was refused before it started). */
  abandon(error: unknown): void {
    for (const entry of this.#scoped.values()) entry.resolve?.(Promise.reject(error));
  }
}
