import { defineCommand, opt } from '../command.js';
import { MAX_PAGE_SIZE, outputOption } from '../common.js';
import type { ListView } from '../output/format.js';
import { apiKeyRequest, publicKey, type ApiKeyView } from './apikey-create.js';

/** `modelplane apikey list`: the server's API keys (never their hashes or secrets). */
export const command = defineCommand({
  path: ['apikey', 'list'],
  summary: 'list the API keys of the server (admin); never shows keys or hashes',
  args: [],
  options: {
    active: opt.flag('--active', 'only keys that are not revoked'),
    output: outputOption,
    page: opt.int('--page <n>', 'page number, from 1', { min: 1 }),
    size: opt.int('--size <n>', `rows per page, 1 to ${MAX_PAGE_SIZE}`, { min: 1, max: MAX_PAGE_SIZE }),
  },
  examples: ['modelplane apikey list', 'modelplane apikey list --active --output json'],
  async run(ctx, _args, o) {
    const { formatDate, printList } = await import('../output/format.js');
    const query = new URLSearchParams();
    if (o.active) query.set('includeRevoked', 'false');
    if (o.page !== undefined) query.set('page', String(o.page));
    if (o.size !== undefined) query.set('size', String(o.size));
    const qs = query.toString();
    const page = (await apiKeyRequest(ctx, 'GET', `/api_keys${qs ? `?${qs}` : ''}`)) as { items: ApiKeyView[]; total: number; page: number; size: number };
    const safe = { ...page, items: page.items.map(publicKey) };
    const view: ListView<ApiKeyView> = {
      noun: 'API keys',
      columns: [
        { header: 'ID', cell: (k) => k.id },
        { header: 'NAME', cell: (k) => k.name, maxWidth: 40 },
        { header: 'ROLE', cell: (k) => k.role },
        { header: 'CREATED', cell: (k) => formatDate(k.createdAt) },
        { header: 'LAST USED', cell: (k) => formatDate(k.lastUsedAt) },
        { header: 'REVOKED', cell: (k, style) => (k.revokedAt === null ? '-' : style.red(formatDate(k.revokedAt))) },
      ],
    };
    await printList(ctx, o.output, safe, view);
  },
});
