import { ValidationError } from './errors.js';
import { ModelStages, type Stage } from './stages.js';
import { hasPlaceholders } from './version-template.js';

/** What a `version` given to `new Model({...})` or `getModelVersion` asks for. */
export type VersionSelector =
  | { kind: 'new' }
  | { kind: 'number'; number: number }
  | { kind: 'latest' }
  | { kind: 'stage'; stage: Stage }
  | { kind: 'id'; id: string }
  | { kind: 'name'; name: string }
  | { kind: 'template'; template: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for strings shaped like the ids modelplane generates (UUIDs). */
export function isId(value: string): boolean {
  return UUID.test(value);
}

/**
 * Interprets a version selector per DESIGN.md §1: absent → new, number or digits → by number,
 * `latest`, a stage, a UUID → by id, a string with `{placeholders}` → template, any other string → name.
 */
export function parseVersionSelector(version: unknown): VersionSelector {
  if (version === undefined || version === null) return { kind: 'new' };
  if (typeof version === 'number') {
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new ValidationError(`Version number ${version} is invalid: version numbers are whole numbers from 1.`);
    }
    return { kind: 'number', number: version };
  }
  if (typeof version !== 'string') {
    throw new ValidationError(`A version must be a number, a name, a stage or an id; got ${typeof version}.`);
  }
  if (version.length === 0) throw new ValidationError('A version selector must not be empty.');
  if (/^\d+$/.test(version)) {
    const number = Number(version);
    if (!Number.isSafeInteger(number) || number < 1) {
      throw new ValidationError(`Version number ${version} is invalid: version numbers are whole numbers from 1.`);
    }
    return { kind: 'number', number };
  }
  const lower = version.toLowerCase();
  if (lower === ModelStages.LATEST) return { kind: 'latest' };
  if (lower === 'staging' || lower === 'production' || lower === 'archived' || lower === 'none') {
    if (lower === 'none') {
      throw new ValidationError('"none" is not a version selector: many versions may have no stage. Use a number, name, id, latest, staging, production or archived.');
    }
    return { kind: 'stage', stage: lower };
  }
  if (isId(version)) return { kind: 'id', id: version.toLowerCase() };
  if (hasPlaceholders(version)) return { kind: 'template', template: version };
  return { kind: 'name', name: version };
}

/** A human-readable description of a selector for error messages, e.g. `the production version`. */
export function describeSelector(selector: VersionSelector): string {
  switch (selector.kind) {
    case 'new':
      return 'a new version';
    case 'number':
      return `version ${selector.number}`;
    case 'latest':
      return 'the latest version';
    case 'stage':
      return `the ${selector.stage} version`;
    case 'id':
      return `version id ${selector.id}`;
    case 'name':
      return `version "${selector.name}"`;
    case 'template':
      return `version template "${selector.template}"`;
  }
}
