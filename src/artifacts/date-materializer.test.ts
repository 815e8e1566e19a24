import { describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { roundTrip } from './test-support/temp-store.js';

describe('dateMaterializer', () => {
  it('round-trips a Date to the millisecond', async () => {
    const value = new Date('2024-02-29T13:14:15.678Z');
    const { loaded, written } = await roundTrip(value);
    expect(written).toMatchObject({ materializer: 'date', dataType: 'Date' });
    expect(loaded).toBeInstanceOf(Date);
    expect((loaded as Date).getTime()).toBe(value.getTime());
  });

  it('rejects an invalid Date', async () => {
    await expect(roundTrip(new Date('nope'))).rejects.toBeInstanceOf(ValidationError);
  });
});
