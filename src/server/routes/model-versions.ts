import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CallerContext, UpdateModelVersionInput } from '../../backend/backend.js';
import { decodeSegment } from '../../backend/wire.js';
import { stageChangeAction } from '../auth/roles.js';
import { noContent, requireAction, send, type ServerApp, type ServerEnv } from '../context.js';
import { errors, jsonBody, jsonResponse } from '../schemas/common.js';
import {
  CreateModelVersionBody,
  GetOrCreateModelVersionBody,
  GetOrCreateResult,
  ListModelVersionsQuery,
  ModelVersionPage,
  ModelVersionSchema,
  SelectorParams,
  UpdateModelVersionBody,
  VersionIdParam,
} from '../schemas/model-versions.js';

const tags = ['model_versions'];

/**
 * Authorizes a version update: `write` for field changes now; for a stage change, the caller context
 * checks `stageChangeAction(current, target)` inside the update's transaction, against the stage the
 * version has while it is locked (checking before the transaction would race a concurrent change).
 */
function authorizeUpdate(c: Context<ServerEnv>, patch: UpdateModelVersionInput): CallerContext {
  const fields = patch.name !== undefined || patch.description !== undefined || (patch.addTags?.length ?? 0) > 0 || (patch.removeTags?.length ?? 0) > 0;
  if (fields || patch.stage === undefined) requireAction(c, 'write');
  return { actor: c.get('actor'), authorizeStageChange: (from, to) => requireAction(c, stageChangeAction(from, to)) };
}

export function registerModelVersionRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({ method: 'get', path: '/model_versions', tags, summary: "List a model's versions", request: { query: ListModelVersionsQuery }, responses: { 200: jsonResponse(ModelVersionPage, 'One page of versions'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').listModelVersions(c.req.valid('query')));
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/model_versions',
      tags,
      summary: 'Create the next version of a model',
      request: jsonBody(CreateModelVersionBody),
      responses: { 201: jsonResponse(ModelVersionSchema, 'The new version'), ...errors(404, 409) },
    }),
    async (c) => {
      requireAction(c, 'write');
      return send(c, await c.get('backend').createModelVersion(c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/model_versions/get_or_create',
      tags,
      summary: 'Get the version with this name, creating it (and, with createModel, the model) when missing',
      request: jsonBody(GetOrCreateModelVersionBody),
      responses: { 200: jsonResponse(GetOrCreateResult, 'The version and whether it was created'), ...errors(404, 409) },
    }),
    async (c) => {
      requireAction(c, 'write');
      return send(c, await c.get('backend').getOrCreateModelVersion(c.req.valid('json')));
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/model_versions/{id}', tags, summary: 'Get a version by id', request: { params: VersionIdParam }, responses: { 200: jsonResponse(ModelVersionSchema, 'The version'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').getModelVersionById(decodeSegment(c.req.valid('param').id)));
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/model_versions/{id}',
      tags,
      summary: 'Change a version by id: stage ({ stage, force, reason }), name, description, tags',
      request: { params: VersionIdParam, ...jsonBody(UpdateModelVersionBody) },
      responses: { 200: jsonResponse(ModelVersionSchema, 'The updated version'), ...errors(404, 409) },
    }),
    async (c) => {
      const backend = c.get('backend');
      const version = await backend.getModelVersionById(decodeSegment(c.req.valid('param').id));
      const patch = c.req.valid('json');
      return send(c, await backend.updateModelVersion(version.modelId, version.id, patch, authorizeUpdate(c, patch)));
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/model_versions/{id}', tags, summary: 'Delete a version (admin)', request: { params: VersionIdParam }, responses: { 204: { description: 'Deleted' }, ...errors(404) } }),
    async (c) => {
      requireAction(c, 'delete');
      await c.get('backend').deleteModelVersion(decodeSegment(c.req.valid('param').id));
      return noContent(c);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/models/{model}/versions/{selector}',
      tags,
      summary: 'Resolve a version selector: number, name, id, latest, staging, production or archived',
      request: { params: SelectorParams },
      responses: { 200: jsonResponse(ModelVersionSchema, 'The version'), ...errors(404) },
    }),
    async (c) => {
      requireAction(c, 'read');
      const { model, selector } = c.req.valid('param');
      return send(c, await c.get('backend').getModelVersion(decodeSegment(model), decodeSegment(selector)));
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/models/{model}/versions/{selector}',
      tags,
      summary: 'Change the version a selector designates: stage ({ stage, force, reason }), name, description, tags',
      request: { params: SelectorParams, ...jsonBody(UpdateModelVersionBody) },
      responses: { 200: jsonResponse(ModelVersionSchema, 'The updated version'), ...errors(404, 409) },
    }),
    async (c) => {
      const { model, selector } = c.req.valid('param');
      const patch = c.req.valid('json');
      return send(c, await c.get('backend').updateModelVersion(decodeSegment(model), decodeSegment(selector), patch, authorizeUpdate(c, patch)));
    },
  );
}
