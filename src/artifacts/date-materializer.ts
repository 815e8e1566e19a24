import { ValidationError } from '../domain/errors.js';
import type { Materializer } from './materializer.js';

/** Stores a `Date` as its ISO 8601 string (millisecond precision, UTC). */
export const dateMaterializer: Materializer<Date> = {
  name: 'date',
  canHandle(value: unknown): boolean {
    return value instanceof Date;
  },
  async save(value: Date, writer): Promise<void> {
    // Invalid dates are accepted by canHandle so the user gets this message, not "no materializer".
    if (Number.isNaN(value.getTime())) throw new ValidationError('Cannot store an invalid Date');
    writer.setDataType('Date');
    await writer.write(value.toISOString());
  },
  async load(reader): Promise<Date> {
    const text = await reader.text();
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw new ValidationError(`Stored date ${JSON.stringify(text.slice(0, 40))} is not a valid ISO date`);
    return date;
  },
};
