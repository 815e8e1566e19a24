import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../domain/errors.js';
import type { ArtifactStore } from './artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import type { S3ConnectionOptions } from './s3-artifact-store.js';

/** Options of {@link openArtifactStore}. */
export interface OpenArtifactStoreOptions {
  /** `gc` keeps unreferenced blobs younger than this many milliseconds (both kinds of store). Default 0. */
  gcGraceMs?: number;
  /** Local store only: fsync blobs before and after publishing (see LocalArtifactStoreOptions). Default true. */
  durable?: boolean;
  /** S3 store only: endpoint, region, path-style addressing, credentials. */
  s3?: S3ConnectionOptions;
}

/** The accepted forms, for error messages. */
export const ARTIFACT_STORE_FORMS = 'a folder path, a file:// URL (file:///abs/path) or s3://bucket[/prefix]';

/**
 * Opens the artifact store at `location`: a folder path or `file://` URL gives a
 * {@link LocalArtifactStore}, `s3://bucket[/prefix]` an `S3ArtifactStore`. Anything else
 * (another scheme, an empty string) → `ValidationError` naming the accepted forms. The S3 store and
 * the AWS SDK are loaded only when an `s3://` location is opened.
 * @example await openArtifactStore('s3://ml-artifacts/team-a', { s3: { region: 'eu-west-1' } })
 */
export async function openArtifactStore(location: string, options: OpenArtifactStoreOptions = {}): Promise<ArtifactStore> {
  if (typeof location !== 'string' || location.trim() === '') {
    throw new ValidationError(`The artifact store location is empty: use ${ARTIFACT_STORE_FORMS}.`);
  }
  const local = { ...(options.gcGraceMs === undefined ? {} : { gcGraceMs: options.gcGraceMs }), ...(options.durable === undefined ? {} : { durable: options.durable }) };
  // A scheme is two or more characters before ':' (one letter is a Windows drive, as in C:\models).
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return LocalArtifactStore.open(path.resolve(location), local);
  if (scheme === 'file') {
    let root: string;
    try {
      root = fileURLToPath(location);
    } catch (err) {
      throw new ValidationError(`Invalid file URL ${JSON.stringify(location)} for the artifact store (${(err as Error).message}): use ${ARTIFACT_STORE_FORMS}.`, {
        location,
      });
    }
    return LocalArtifactStore.open(root, local);
  }
  if (scheme === 's3') {
    const { S3ArtifactStore } = await import('./s3-artifact-store.js');
    return S3ArtifactStore.open(location, { ...options.s3, ...(options.gcGraceMs === undefined ? {} : { gcGraceMs: options.gcGraceMs }) });
  }
  const hint = location.includes('://') ? '' : ` (write ./${location} for a folder whose name contains ':')`;
  throw new ValidationError(`Unsupported artifact store ${JSON.stringify(location)}: use ${ARTIFACT_STORE_FORMS}${hint}.`, { location });
}
