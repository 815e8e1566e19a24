import { createRoute, z } from '@hono/zod-openapi';
import { decodeSegment } from '../../backend/wire.js';
import type { RunStatus } from '../../domain/entities.js';
import { parsePageRequest } from '../../domain/pagination.js';
import { noContent, requireAction, send, type ServerApp } from '../context.js';
import { PageQuery, errors, jsonBody, jsonResponse, segment } from '../schemas/common.js';
import { CreatePipelineRunBody, LinkRunBody, LinkedRunPage, ListPipelineRunsQuery, PipelineRunPage, PipelineRunSchema, RunIdParam, UpdatePipelineRunBody } from '../schemas/runs.js';
import { StepRunPage } from '../schemas/step-runs.js';

const tags = ['runs'];

export function registerRunRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({ method: 'get', path: '/runs', tags, summary: 'List pipeline runs, newest first', request: { query: ListPipelineRunsQuery }, responses: { 200: jsonResponse(PipelineRunPage, 'One page of runs'), ...errors() } }),
    async (c) => {
      requireAction(c, 'read');
      const { status, ...q } = c.req.valid('query');
      return send(c, await c.get('backend').listPipelineRuns({ ...q, ...(status === undefined ? {} : { status: status as RunStatus }) }));
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/runs', tags, summary: 'Record a pipeline run', request: jsonBody(CreatePipelineRunBody), responses: { 201: jsonResponse(PipelineRunSchema, 'The new run'), ...errors(409) } }),
    async (c) => {
      requireAction(c, 'write');
      const { status, ...input } = c.req.valid('json');
      return send(c, await c.get('backend').createPipelineRun({ ...input, ...(status === undefined ? {} : { status: status as RunStatus }) }), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/runs/{id}', tags, summary: 'Get a pipeline run', request: { params: RunIdParam }, responses: { 200: jsonResponse(PipelineRunSchema, 'The run'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').getPipelineRun(decodeSegment(c.req.valid('param').id)));
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/runs/{id}',
      tags,
      summary: "Set a run's status (ended stamps its end time)",
      request: { params: RunIdParam, ...jsonBody(UpdatePipelineRunBody) },
      responses: { 200: jsonResponse(PipelineRunSchema, 'The run'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'write');
      const { status, ...patch } = c.req.valid('json');
      return send(c, await c.get('backend').updatePipelineRun(decodeSegment(c.req.valid('param').id), { ...patch, status: status as RunStatus }));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs/{id}/step_runs',
      tags: ['step_runs'],
      summary: 'The step runs of a pipeline run',
      request: { params: RunIdParam, query: PageQuery },
      responses: { 200: jsonResponse(StepRunPage, 'One page of step runs'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const q = c.req.valid('query');
      const page = parsePageRequest(q.page, q.size ?? 1000);
      return send(c, await c.get('backend').listStepRunPage(decodeSegment(c.req.valid('param').id), page));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/model_versions/{id}/runs',
      tags: ['model_versions'],
      summary: 'Pipeline runs linked to a model version, each with `relations`: producer and/or consumer',
      request: { params: z.object({ id: segment('id', 'Model version id') }), query: ListPipelineRunsQuery.omit({ modelVersionId: true }) },
      responses: { 200: jsonResponse(LinkedRunPage, 'One page of runs'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const backend = c.get('backend');
      const mv = await backend.getModelVersionById(decodeSegment(c.req.valid('param').id));
      const { status, ...q } = c.req.valid('query');
      const page = await backend.listPipelineRuns({ ...q, modelVersionId: mv.id, ...(status === undefined ? {} : { status: status as RunStatus }) });
      // The dashboard shows whether each run produced into the version or consumed from it.
      const relations = await backend.getRunRelations(mv.id, page.items);
      return send(c, { ...page, items: page.items.map((run) => ({ ...run, relations: relations.get(run.id) ?? [] })) });
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/model_versions/{id}/runs/{runId}',
      tags: ['model_versions'],
      summary: 'Link a pipeline run to a model version as producer or consumer (idempotent)',
      request: { params: z.object({ id: segment('id', 'Model version id'), runId: segment('runId', 'Pipeline run id') }), ...jsonBody(LinkRunBody) },
      responses: { 204: { description: 'Linked' }, ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'write');
      const { id, runId } = c.req.valid('param');
      await c.get('backend').linkRunToModelVersion(decodeSegment(id), decodeSegment(runId), c.req.valid('json').relation);
      return noContent(c);
    },
  );
}
