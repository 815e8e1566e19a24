import { arg, defineCommand } from '../command.js';
import { outputOption } from '../common.js';
import { apiKeyRequest, publicKey, type ApiKeyView } from './apikey-create.js';

/** `modelplane apikey revoke ID`: the key stops working on the next request, on every server. */
export const command = defineCommand({
  path: ['apikey', 'revoke'],
  summary: 'revoke an API key of the server (admin); it stops working at once',
  args: [arg.required('id', 'the key id shown by `modelplane apikey list`')],
  options: { output: outputOption },
  examples: ['modelplane apikey revoke 3f2b9c1d-…'],
  async run(ctx, { id }, o) {
    const { encodeSegment } = await import('../../backend/wire.js');
    const record = publicKey((await apiKeyRequest(ctx, 'DELETE', `/api_keys/${encodeSegment(id)}`)) as ApiKeyView);
    if (o.output === 'table') {
      ctx.out(`Revoked API key "${record.name}" (role ${record.role}, id ${record.id}) at ${record.revokedAt ?? '?'}.`);
      return;
    }
    const { printObject } = await import('../output/format.js');
    await printObject(ctx, o.output, record, () => []);
  },
});
