import { createRoute, z } from '@hono/zod-openapi';
import { decodeSegment } from '../../backend/wire.js';
import { ValidationError } from '../../domain/errors.js';
import { parsePageRequest } from '../../domain/pagination.js';
import { requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonResponse } from '../schemas/common.js';
import { ModelParam } from '../schemas/models.js';
import { StageHistoryQuery, StageHoldingSchema, StageTransitionPage } from '../schemas/stage-history.js';

export function registerStageHistoryRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{model}/stage_history',
      tags: ['models'],
      summary: 'Stage transitions of a model, oldest first; with `stage` and `at`, who held that stage at that time',
      request: { params: ModelParam, query: StageHistoryQuery },
      responses: { 200: jsonResponse(z.union([StageTransitionPage, StageHoldingSchema]), 'A page of transitions, or a StageHolding when `at` is given'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const backend = c.get('backend');
      const model = decodeSegment(c.req.valid('param').model);
      const query = c.req.valid('query');
      if (query.at !== undefined) {
        if (query.stage === undefined) throw new ValidationError('"at" needs a "stage": who held which stage at that time?');
        const at = new Date(query.at);
        if (Number.isNaN(at.getTime())) throw new ValidationError(`"${query.at.slice(0, 100)}" is not a date: use e.g. 2026-12-01T12:00:00Z.`);
        return send(c, await backend.getStageHolding(model, query.stage, at));
      }
      const page = parsePageRequest(query.page, query.size ?? 1000);
      return send(c, await backend.getStageHistoryPage(model, { ...(query.stage === undefined ? {} : { stage: query.stage }), page }));
    },
  );
}
