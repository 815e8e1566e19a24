import { Client } from './client.js';
import { logMetadataWith, type LogMetadataOptions } from './log-metadata.js';

/**
 * Attaches metadata to a model version, an artifact version or a run. Outside a step the target
 * must be named; otherwise it is a `ValidationError`.
 * @example await logMetadata({ metadata: { evaluation_metrics: { accuracy: 0.97 } }, modelName: 'iris', modelVersion: 'latest' })
 */
export async function logMetadata(options: LogMetadataOptions & { client?: Client }): Promise<void> {
  const { client, ...rest } = options ?? ({} as LogMetadataOptions);
  return logMetadataWith(client ?? Client.active(), rest);
}
