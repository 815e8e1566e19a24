import { ValidationError } from './errors.js';
import { isStageName } from './stages.js';

/** Longest name accepted for models, versions, artifacts and tags. */
export const MAX_NAME_LENGTH = 255;

// C0, DEL and C1 control characters, plus line/paragraph separators that break terminals and logs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

function checkName(kind: string, value: unknown, extra?: (name: string) => void): string {
  if (typeof value !== 'string') {
    throw new ValidationError(`A ${kind} name must be a string, got ${value === null ? 'null' : typeof value}.`);
  }
  if (value.length === 0 || value.trim().length === 0) {
    throw new ValidationError(`A ${kind} name must not be empty.`);
  }
  if (value.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`The ${kind} name is ${value.length} characters long; the limit is ${MAX_NAME_LENGTH}.`);
  }
  if (value !== value.trim()) {
    throw new ValidationError(`The ${kind} name ${JSON.stringify(value)} has leading or trailing spaces; remove them.`);
  }
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).padStart(4, '0');
    throw new ValidationError(`The ${kind} name ${JSON.stringify(value)} contains the control character U+${code}; use printable characters only.`);
  }
  extra?.(value);
  return value;
}

/** Validates a model name: 1–255 printable characters, no `/`. */
export function validateModelName(value: unknown): string {
  return checkName('model', value, (name) => {
    if (name.includes('/')) {
      throw new ValidationError(`The model name ${JSON.stringify(name)} contains "/"; use another separator such as "-" or "_".`);
    }
  });
}

/** Validates an explicit version name: like a model name, and neither all digits nor a stage name. */
export function validateVersionName(value: unknown): string {
  return checkName('version', value, (name) => {
    if (/^\d+$/.test(name)) {
      throw new ValidationError(`The version name ${JSON.stringify(name)} is all digits, which would be confused with version numbers; add a letter (e.g. "v${name}").`);
    }
    if (isStageName(name)) {
      throw new ValidationError(`The version name ${JSON.stringify(name)} is a stage name; pick a name that is not none, staging, production, archived or latest.`);
    }
    if (name.includes('/')) {
      throw new ValidationError(`The version name ${JSON.stringify(name)} contains "/"; use another separator such as "-" or "_".`);
    }
  });
}

/** Validates an artifact name: 1–255 printable characters, no `/`. */
export function validateArtifactName(value: unknown): string {
  return checkName('artifact', value, (name) => {
    if (name.includes('/')) {
      throw new ValidationError(`The artifact name ${JSON.stringify(name)} contains "/"; use another separator such as "-" or "_".`);
    }
  });
}

/** Validates one tag: 1–255 printable characters. */
export function validateTag(value: unknown): string {
  return checkName('tag', value);
}

/** Validates a list of tags and removes duplicates, keeping first-seen order. */
export function validateTags(values: unknown): string[] {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) throw new ValidationError('Tags must be a list of strings.');
  return [...new Set(values.map(validateTag))];
}

/** Validates a free-text field (description, license …): a string of at most `max` characters, or null. */
export function validateText(field: string, value: unknown, max = 65_536): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ValidationError(`"${field}" must be a string.`);
  if (value.length > max) throw new ValidationError(`"${field}" is ${value.length} characters long; the limit is ${max}.`);
  return value;
}
