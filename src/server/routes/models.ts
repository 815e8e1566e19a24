import { createRoute } from '@hono/zod-openapi';
import { decodeSegment } from '../../backend/wire.js';
import { noContent, requireAction, send, type ServerApp } from '../context.js';
import { errors, jsonBody, jsonResponse } from '../schemas/common.js';
import { CreateModelBody, ListModelsQuery, ModelPage, ModelParam, ModelSchema, UpdateModelBody } from '../schemas/models.js';

const tags = ['models'];

export function registerModelRoutes(app: ServerApp): void {
  app.openapi(
    createRoute({ method: 'get', path: '/models', tags, summary: 'List models', request: { query: ListModelsQuery }, responses: { 200: jsonResponse(ModelPage, 'One page of models'), ...errors() } }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').listModels(c.req.valid('query')));
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/models', tags, summary: 'Register a model', request: jsonBody(CreateModelBody), responses: { 201: jsonResponse(ModelSchema, 'The new model'), ...errors(409) } }),
    async (c) => {
      requireAction(c, 'write');
      return send(c, await c.get('backend').createModel(c.req.valid('json')), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/models/{model}', tags, summary: 'Get a model by name or id', request: { params: ModelParam }, responses: { 200: jsonResponse(ModelSchema, 'The model'), ...errors(404) } }),
    async (c) => {
      requireAction(c, 'read');
      return send(c, await c.get('backend').getModel(decodeSegment(c.req.valid('param').model)));
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/models/{model}',
      tags,
      summary: 'Change fields and tags of a model',
      request: { params: ModelParam, ...jsonBody(UpdateModelBody) },
      responses: { 200: jsonResponse(ModelSchema, 'The updated model'), ...errors(404, 409) },
    }),
    async (c) => {
      requireAction(c, 'write');
      return send(c, await c.get('backend').updateModel(decodeSegment(c.req.valid('param').model), c.req.valid('json')));
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/models/{model}', tags, summary: 'Delete a model with its versions (admin)', request: { params: ModelParam }, responses: { 204: { description: 'Deleted' }, ...errors(404) } }),
    async (c) => {
      requireAction(c, 'delete');
      await c.get('backend').deleteModel(decodeSegment(c.req.valid('param').model));
      return noContent(c);
    },
  );
}
