import { createRoute } from '@hono/zod-openapi';
import { decodeSegment } from '../../backend/wire.js';
import type { RunStatus } from '../../domain/entities.js';
import { requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonBody, jsonResponse } from '../schemas/common.js';
import { CacheQuery, CachedStepRun, CreateStepRunBody, FinishStepRunBody, StepNameParams, StepRunIdParam, StepRunSchema } from '../schemas/step-runs.js';

const tags = ['step_runs'];

export function registerStepRunRoutes(app: ServerApp): void {
  // Registered before /step_runs/{id} so that "cached" is not taken for an id.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/step_runs/cached',
      tags,
      summary: 'The newest completed step run with this cache key, or null',
      request: { query: CacheQuery },
      responses: { 200: jsonResponse(CachedStepRun, 'The cached step run or null'), ...errors() },
    }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, { stepRun: await c.get('backend').findCachedStepRun(c.req.valid('query').cacheKey) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/step_runs', tags, summary: 'Record a step run', request: jsonBody(CreateStepRunBody), responses: { 201: jsonResponse(StepRunSchema, 'The new step run'), ...errors(404, 409) } }),
    async (c) => {
      requireAction(c, 'write');
      const { status, ...input } = c.req.valid('json');
      return send(c, await c.get('backend').createStepRun({ ...input, ...(status === undefined ? {} : { status: status as RunStatus }) }), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/step_runs/{id}', tags, summary: 'Get a step run', request: { params: StepRunIdParam }, responses: { 200: jsonResponse(StepRunSchema, 'The step run'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').getStepRun(decodeSegment(c.req.valid('param').id)));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/step_runs/{id}/finish',
      tags,
      summary: 'End a step run, record its outputs and link them to its model version',
      request: { params: StepRunIdParam, ...jsonBody(FinishStepRunBody) },
      responses: { 200: jsonResponse(StepRunSchema, 'The finished step run'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'write');
      const { status, ...input } = c.req.valid('json');
      return send(c, await c.get('backend').finishStepRun(decodeSegment(c.req.valid('param').id), { ...input, status: status as RunStatus }));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs/{id}/step_runs/{name}',
      tags,
      summary: 'The step of a pipeline run with this name',
      request: { params: StepNameParams },
      responses: { 200: jsonResponse(StepRunSchema, 'The step run'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const { id, name } = c.req.valid('param');
      return send(c, await c.get('backend').findStepRun(decodeSegment(id), decodeSegment(name)));
    },
  );
}
