import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { classMaterializer } from './class-materializer.js';
import { registerMaterializer, unregisterMaterializer } from './materializer-registry.js';
import { roundTrip } from './test-support/temp-store.js';

class LinearModel {
  constructor(
    readonly slope: number,
    readonly intercept: number,
  ) {}
  predict(x: number): number {
    return this.slope * x + this.intercept;
  }
  toJSON(): { slope: number; intercept: number } {
    return { slope: this.slope, intercept: this.intercept };
  }
  static load(json: unknown): LinearModel {
    const { slope, intercept } = json as { slope: number; intercept: number };
    return new LinearModel(slope, intercept);
  }
}

describe('classMaterializer', () => {
  it('round-trips an instance through toJSON() and static load()', async () => {
    const m = classMaterializer(LinearModel);
    expect(m.name).toBe('class:LinearModel');
    registerMaterializer(m);
    try {
      const { loaded, written } = await roundTrip(new LinearModel(2, 1));
      expect(written).toMatchObject({ materializer: 'class:LinearModel', dataType: 'LinearModel' });
      expect(loaded).toBeInstanceOf(LinearModel);
      expect((loaded as LinearModel).predict(3)).toBe(7);
    } finally {
      unregisterMaterializer(m.name);
    }
  });

  it('needs both a static load and a toJSON method', () => {
    class NoLoad {
      toJSON(): unknown {
        return {};
      }
    }
    class NoToJSON {
      static load(): NoToJSON {
        return new NoToJSON();
      }
    }
    expect(() => classMaterializer(NoLoad as never)).toThrow(ValidationError);
    expect(() => classMaterializer(NoLoad as never)).toThrow(/static method load\(json\)/);
    expect(() => classMaterializer(NoToJSON as never)).toThrow(/toJSON\(\)/);
  });
});
