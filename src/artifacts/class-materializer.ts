import { ValidationError } from '../domain/errors.js';
import type { Materializer } from './materializer.js';

/** A class whose instances serialize with `toJSON()` and come back with the static `load(json)`. */
export interface JsonSerializableClass<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor shape is fine; only instanceof is used
  new (...args: any[]): T;
  load(json: unknown): T | Promise<T>;
  readonly name: string;
}

/**
 * Builds a materializer named `class:<Cls.name>` for a class with an instance `toJSON()` and a static
 * `load(json)` (the ml.js convention); throws `ValidationError` when either is missing.
 * @example registerMaterializer(classMaterializer(RandomForestClassifier))
 */
export function classMaterializer<T>(Cls: JsonSerializableClass<T>): Materializer<T> {
  if (typeof Cls !== 'function') {
    throw new ValidationError('classMaterializer(Cls) needs a class');
  }
  const name = Cls.name;
  const hasLoad = typeof (Cls as { load?: unknown }).load === 'function';
  const hasToJSON = typeof (Cls.prototype as { toJSON?: unknown } | undefined)?.toJSON === 'function';
  if (!hasLoad || !hasToJSON) {
    const missing = [!hasToJSON && 'an instance method toJSON()', !hasLoad && 'a static method load(json)'].filter(Boolean).join(' and ');
    throw new ValidationError(
      `classMaterializer(${name || 'anonymous class'}) needs both an instance method toJSON() (to save) and a static method load(json) (to load); it lacks ${missing}`,
      { className: name },
    );
  }
  if (!name) throw new ValidationError('classMaterializer needs a named class: the name is stored to find the materializer again at load time');
  return {
    name: `class:${name}`,
    canHandle(value: unknown): boolean {
      return value instanceof Cls;
    },
    async save(value: T, writer): Promise<void> {
      const text = JSON.stringify((value as { toJSON(): unknown }).toJSON());
      // JSON.stringify gives undefined for undefined/functions; storing "undefined" would not load back.
      if (typeof text !== 'string') throw new ValidationError(`${name}.prototype.toJSON() returned a value JSON cannot represent`);
      writer.setDataType(name);
      await writer.write(text);
    },
    async load(reader): Promise<T> {
      return await Cls.load(JSON.parse(await reader.text()) as unknown);
    },
  };
}
