import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  departmentCreateSchema,
  departmentListQuerySchema,
  departmentSchema,
  departmentUpdateSchema,
  idParamsSchema,
  pageOf,
  passwordResetSchema,
  regionCreateSchema,
  regionListQuerySchema,
  regionSchema,
  regionUpdateSchema,
  userCreateSchema,
  userDetailSchema,
  userListQuerySchema,
  userSchema,
  userUpdateSchema,
} from '../../../contracts/platform.ts';
import type { PlatformDeps } from '../context.ts';
import * as departments from './department.service.ts';
import { presentDepartment, presentRegion, presentUser, presentUserDetail, presentUserWithContacts } from './organisation.presenter.ts';
import * as regions from './region.service.ts';
import * as users from './user.service.ts';

/** HTTP adapter for regions, departments and users: parse → one service call → present. */
export function organisationRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/regions', {
    config: { access: 'public' },
    schema: { tags: ['regions'], summary: 'List regions (the city tree is public)', querystring: regionListQuerySchema, response: { 200: pageOf(regionSchema) } },
  }, async (request) => {
    const { limit, offset, ...filter } = request.query;
    const page = await regions.listRegions(deps, request.context, filter, { limit, offset });
    return { items: page.items.map(presentRegion), total: page.total, limit, offset };
  });

  api.get('/api/v1/regions/:id', {
    config: { access: 'public' },
    schema: { tags: ['regions'], summary: 'One region', params: idParamsSchema, response: { 200: regionSchema } },
  }, async (request) => presentRegion(await regions.getRegion(deps, request.context, request.params.id)));

  api.post('/api/v1/regions', {
    config: { access: 'region.manage' },
    schema: { tags: ['regions'], summary: 'Add a child region', body: regionCreateSchema, response: { 201: regionSchema } },
  }, async (request, reply) => {
    const region = await regions.createRegion(deps, request.context, request.body);
    return reply.status(201).send(presentRegion(region));
  });

  api.patch('/api/v1/regions/:id', {
    config: { access: 'region.manage' },
    schema: { tags: ['regions'], summary: 'Change a region (optimistic: send the version you read)', params: idParamsSchema, body: regionUpdateSchema, response: { 200: regionSchema } },
  }, async (request) => presentRegion(await regions.updateRegion(deps, request.context, request.params.id, request.body)));

  api.get('/api/v1/departments', {
    config: { access: 'department.read' },
    schema: { tags: ['departments'], summary: 'List departments', querystring: departmentListQuerySchema, response: { 200: pageOf(departmentSchema) } },
  }, async (request) => {
    const { limit, offset, ...filter } = request.query;
    const page = await departments.listDepartments(deps, request.context, filter, { limit, offset });
    return { items: page.items.map(presentDepartment), total: page.total, limit, offset };
  });

  api.get('/api/v1/departments/:id', {
    config: { access: 'department.read' },
    schema: { tags: ['departments'], summary: 'One department', params: idParamsSchema, response: { 200: departmentSchema } },
  }, async (request) => presentDepartment(await departments.getDepartment(deps, request.context, request.params.id)));

  api.post('/api/v1/departments', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Create a department', body: departmentCreateSchema, response: { 201: departmentSchema } },
  }, async (request, reply) => {
    const department = await departments.createDepartment(deps, request.context, request.body);
    return reply.status(201).send(presentDepartment(department));
  });

  api.patch('/api/v1/departments/:id', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Change a department (optimistic: send the version you read)', params: idParamsSchema, body: departmentUpdateSchema, response: { 200: departmentSchema } },
  }, async (request) => presentDepartment(await departments.updateDepartment(deps, request.context, request.params.id, request.body)));

  api.get('/api/v1/users', {
    config: { access: 'user.read' },
    schema: { tags: ['users'], summary: 'List users in your scope (no contact details)', querystring: userListQuerySchema, response: { 200: pageOf(userSchema) } },
  }, async (request) => {
    const { limit, offset, ...filter } = request.query;
    const page = await users.listUsers(deps, request.context, filter, { limit, offset });
    const now = deps.clock();
    return { items: page.items.map((user) => presentUser(user, now)), total: page.total, limit, offset };
  });

  api.get('/api/v1/users/:id', {
    config: { access: 'user.read' },
    schema: {
      tags: ['users'],
      summary: 'One user; admins in scope also get contact details, and that read is audited',
      params: idParamsSchema,
      response: { 200: z.union([userDetailSchema, userSchema]) },
    },
  }, async (request) => presentUserDetail(await users.getUser(deps, request.context, request.params.id), deps.clock()));

  api.post('/api/v1/users', {
    config: { access: 'user.manage' },
    schema: { tags: ['users'], summary: 'Create an account (must change the password at first login)', body: userCreateSchema, response: { 201: userDetailSchema } },
  }, async (request, reply) => {
    const user = await users.createUser(deps, request.context, request.body);
    return reply.status(201).send(presentUserWithContacts(user, deps.clock()));
  });

  api.patch('/api/v1/users/:id', {
    config: { access: 'user.manage' },
    schema: { tags: ['users'], summary: 'Change an account (optimistic: send the version you read)', params: idParamsSchema, body: userUpdateSchema, response: { 200: userDetailSchema } },
  }, async (request) => presentUserWithContacts(await users.updateUser(deps, request.context, request.params.id, request.body), deps.clock()));

  api.post('/api/v1/users/:id/password-reset', {
    config: { access: 'user.reset_password' },
    schema: { tags: ['users'], summary: 'Set a temporary password; the user must change it at next login', params: idParamsSchema, body: passwordResetSchema, response: { 204: z.null() } },
  }, async (request, reply) => {
    await users.resetPassword(deps, request.context, request.params.id, request.body.newPassword);
    return reply.status(204).send(null);
  });
}
