import { existsSync } from 'node:fs';
import { HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3 } from './s3.js';

// s3rver is an npm dev dependency: it is never missing, so this never skips (CI or not).
const s3 = await startS3({ bucket: 'support-test' });
afterAll(async () => {
  await s3.stop();
});

describe('startS3', () => {
  it('serves the S3 protocol on a loopback port with the bucket created, and pages listings', async () => {
    expect(s3.endpoint).toBe(`http://127.0.0.1:${s3.port}`);
    expect(s3.bucket).toBe('support-test');
    await s3.client.send(new HeadBucketCommand({ Bucket: 'support-test' }));
    for (let i = 0; i < 3; i++) await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `k/${i}`, Body: String(i) }));
    // Truncated ListObjectsV2 pages need s3rver's DES tokens: this is what the child's legacy OpenSSL flag is for.
    const first = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'k/', MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    const second = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'k/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken! }));
    expect([...(first.Contents ?? []), ...(second.Contents ?? [])].map((o) => o.Key)).toEqual(['k/0', 'k/1', 'k/2']);
  });

  it('stop() shuts the server down and removes its folder; a second call is a no-op', async () => {
    const other = await startS3();
    expect(existsSync(other.dir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    const client = new S3Client({ ...other.options, maxAttempts: 1 });
    await expect(client.send(new HeadBucketCommand({ Bucket: other.bucket }))).rejects.toThrow();
    client.destroy();
    await other.stop();
  });
});
