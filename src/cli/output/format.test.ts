import { expect, it } from 'vitest';
import { recordsToCsv } from './format.js';

it('gives a field that is null in some records and an object in others only its nested columns', () => {
  const csv = recordsToCsv([
    { name: 'a', productionVersion: null, n: 1 },
    { name: 'b', productionVersion: { id: 'x', number: 2 }, n: 2 },
  ]);
  expect(csv.split('\n').slice(0, 3)).toEqual(['name,productionVersion.id,productionVersion.number,n', 'a,,,1', 'b,x,2,2']);
});
