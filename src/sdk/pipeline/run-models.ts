import type { ModelVersion } from '../../domain/entities.js';
import { renderVersionTemplate } from '../../domain/version-template.js';
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
   * Resolves every model of the run, in first-use order; the first failure is thrown (nothing has run
   * yet). A run refused because, say, no version is in production must not leave behind a new, empty
   * version (or model) created for another of its models, so what can fail without creating anything is
   * settled first: templates are rendered once as a check, and lookups whose answer no version created
   * by this run could change (a stage, an id, or a number / `latest` of a model this run creates no
   * version of) are resolved before the selectors that create.
   */
  async resolveAll(ctx: RunTemplateContext): Promise<Map<Model, ModelVersion>> {
    const all = [...this.#scoped.values()];
    const createsVersions = (m: Model) => m.selector.kind === 'new' || m.selector.kind === 'name' || m.selector.kind === 'template';
    for (const { template } of all) {
      const selector = template.selector;
      if (selector.kind === 'template') {
        renderVersionTemplate(selector.template, { now: new Date(), ...ctx, substitutions: { ...ctx.substitutions, ...template.options.substitutions } });
      }
    }
    const created = new Set(all.filter((e) => createsVersions(e.template)).map((e) => e.template.name));
    const independent = (m: Model) => {
      const kind = m.selector.kind;
      return kind === 'stage' || kind === 'id' || ((kind === 'number' || kind === 'latest') && !created.has(m.name));
    };
    const resolved = new Map<Model, ModelVersion>();
    for (const entry of [...all.filter((e) => independent(e.template)), ...all.filter((e) => !independent(e.template))]) {
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
