import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cadreCreateSchema,
  cadreListQuerySchema,
  cadreListSchema,
  cadreSchema,
  cadreUpdateSchema,
  coverageQuerySchema,
  coverageSchema,
  householdCreateSchema,
  householdDetailSchema,
  householdSchema,
  householdUpdateSchema,
  householdListQuerySchema,
  householdListSchema,
  pairingStatsQuerySchema,
  pairingStatsSchema,
  registryImportQuerySchema,
  registryImportReportSchema,
  registryKindSchema,
  runInputSchema,
  runListSchema,
  runSchema,
  visitInputSchema,
  visitReceiptSchema,
  type CadreView,
  type HouseholdView,
  type RunView,
} from '../../../contracts/pairing.ts';
import { idParamsSchema } from '../../../contracts/platform.ts';
import { AppError, type PlatformDeps } from '../../platform/index.ts';
import * as edits from './registry/registry-edit.service.ts';
import type { HouseholdEntry } from './registry/registry.repository.ts';
import * as registry from './registry/registry.service.ts';
import { createRunExecutor } from './runs/run-executor.ts';
import type { PairingRun } from './runs/run.repository.ts';
import * as runs from './runs/run.service.ts';
import * as visits from './visits/visit.service.ts';

const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const FILE_TYPES: Record<string, string> = {
  'text/csv': 'import.csv',
  'application/x-ndjson': 'import.jsonl',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'import.xlsx',
  'application/octet-stream': 'import',
};

const presentHousehold = (entry: HouseholdEntry): HouseholdView => ({
  id: entry.household.id,
  code: entry.household.code,
  districtId: entry.household.districtId,
  communityId: entry.household.communityId,
  communityName: entry.communityName,
  location: entry.household.location,
  difficulties: [...entry.household.difficulties],
  needs: [...entry.household.needs],
  members: entry.household.members,
  cadre: entry.cadre && { id: entry.cadre.id, name: entry.cadre.name },
  lastVisit: entry.lastVisit,
  active: entry.household.active,
  version: entry.household.version,
});

const presentCadre = (cadre: edits.CadreRecord): CadreView => ({
  id: cadre.id,
  code: cadre.code,
  name: cadre.name,
  userId: cadre.userId,
  username: cadre.username,
  unit: cadre.unit,
  districtId: cadre.districtId,
  districtName: cadre.districtName,
  location: cadre.location,
  capacity: cadre.capacity,
  load: cadre.load,
  skills: [...cadre.skills],
  active: cadre.active,
  version: cadre.version,
});

const presentRun = (run: PairingRun): RunView => ({
  id: run.id,
  districtId: run.districtId,
  scenario: run.scenario,
  options: run.options,
  status: run.status,
  progress: run.progress,
  phase: run.phase,
  error: run.error,
  startedAt: run.startedAt && run.startedAt.toISOString(),
  finishedAt: run.finishedAt && run.finishedAt.toISOString(),
  solverStatus: run.solverStatus,
  cost: run.cost,
  lowerBound: run.lowerBound,
  gap: run.gap,
  certified: run.certified,
  solveMs: run.solveMs,
  greedyCost: run.greedyCost,
  greedyGap: run.greedyCost !== null && run.cost ? (run.greedyCost - run.cost) / run.cost : null,
  cadres: run.cadres,
  households: run.households,
  diff: { ...run.diff, changed: [...run.diff.changed], added: [...run.diff.added], unserved: [...run.diff.unserved], ended: [...run.diff.ended] },
  unserved: [...run.unserved],
  createdAt: run.createdAt.toISOString(),
  decidedAt: run.decidedAt && run.decidedAt.toISOString(),
});

/** HTTP adapter of pairing (docs/pairing.md): parse → one service call → present. */
export function pairingRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const executor = createRunExecutor(deps);
  app.addHook('onClose', () => executor.close());
  app.register(async (scope) => {
    scope.addContentTypeParser(Object.keys(FILE_TYPES), { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/pairing/imports/:kind',
      {
        config: { access: 'pairing.manage' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['pairing'],
          summary: 'Import cadres or households from a CSV/XLSX/JSONL file, matched by code (all or nothing unless skipInvalid); rows outside your area are refused',
          params: z.strictObject({ kind: registryKindSchema }),
          querystring: registryImportQuerySchema,
          response: { 200: registryImportReportSchema },
        },
      },
      async (request) => {
        const bytes = request.body;
        if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new AppError('invalid_body', 'Send the file as the request body (text/csv or an XLSX content type)');
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        const filename = request.query.filename ?? FILE_TYPES[contentType] ?? 'import';
        const report = await registry.importRegistry(deps, request.context, request.params.kind, { bytes, filename }, { skipInvalid: request.query.skipInvalid });
        return { ...report, rejected: [...report.rejected] };
      },
    );
  });

  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/pairing/cadres',
    {
      config: { access: 'pairing.manage' },
      schema: { tags: ['pairing'], summary: 'Cadres of your area with their current load', querystring: cadreListQuerySchema, response: { 200: cadreListSchema } },
    },
    async (request) => {
      const { limit, offset, code } = request.query;
      const page = await registry.listCadres(deps, request.context, { limit, offset, code });
      return { items: page.items.map(presentCadre), total: page.total, limit, offset };
    },
  );

  api.post(
    '/api/v1/pairing/cadres',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary: 'Add one cadre (coordinators and admins of its district); 409 duplicate when the code exists',
        body: cadreCreateSchema,
        response: { 201: cadreSchema },
      },
    },
    async (request, reply) => reply.status(201).send(presentCadre(await edits.createCadre(deps, request.context, request.body))),
  );

  api.patch(
    '/api/v1/pairing/cadres/:id',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary: 'Change one cadre at the version read (409 version_conflict when it changed since); active false when the cadre leaves, so the next run re-pairs their households',
        params: idParamsSchema,
        body: cadreUpdateSchema,
        response: { 200: cadreSchema },
      },
    },
    async (request) => presentCadre(await edits.updateCadre(deps, request.context, request.params.id, request.body)),
  );

  api.post(
    '/api/v1/pairing/households',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary: 'Add one household (coordinators and admins of its community); the answer never carries contact or notes',
        body: householdCreateSchema,
        response: { 201: householdSchema },
      },
    },
    async (request, reply) => reply.status(201).send(presentHousehold(await edits.createHousehold(deps, request.context, request.body))),
  );

  api.patch(
    '/api/v1/pairing/households/:id',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary: 'Change one household at the version read (409 when it changed since); active false when it is no longer in difficulty. Audited by field names, never values of contact or notes',
        params: idParamsSchema,
        body: householdUpdateSchema,
        response: { 200: householdSchema },
      },
    },
    async (request) => presentHousehold(await edits.updateHousehold(deps, request.context, request.params.id, request.body)),
  );

  api.get(
    '/api/v1/pairing/households',
    {
      config: { access: 'pairing.read' },
      schema: {
        tags: ['pairing'],
        summary: 'Households: a cadre their own, coordinators and admins their area; never contact or notes; the read is audited',
        querystring: householdListQuerySchema,
        response: { 200: householdListSchema },
      },
    },
    async (request) => {
      const { limit, offset, mine, unpaired, communityId, code } = request.query;
      const page = await registry.listHouseholds(deps, request.context, { limit, offset, mine: mine === 'true', unpaired: unpaired === 'true', communityId, code });
      return { items: page.items.map(presentHousehold), total: page.total, limit, offset };
    },
  );

  api.get(
    '/api/v1/pairing/households/:id',
    {
      config: { access: 'pairing.read' },
      schema: {
        tags: ['pairing'],
        summary: 'A household with its visits and needs (with their cases); contact and notes for its cadre and coordinators of its area; every read audited',
        params: idParamsSchema,
        response: { 200: householdDetailSchema },
      },
    },
    async (request) => {
      const detail = await registry.getHousehold(deps, request.context, request.params.id);
      return {
        ...presentHousehold(detail),
        contact: detail.contact,
        visits: detail.visits.map((visit) => ({ ...visit, createdAt: visit.createdAt.toISOString() })),
        needCases: detail.needCases.map((need) => ({ ...need, createdAt: need.createdAt.toISOString() })),
      };
    },
  );

  api.post(
    '/api/v1/pairing/households/:id/visits',
    {
      config: { access: 'visit.log' },
      schema: {
        tags: ['pairing'],
        summary: 'Log a visit (the household’s own cadre); each need found becomes a voices case routed like any other',
        params: idParamsSchema,
        body: visitInputSchema,
        response: { 201: visitReceiptSchema },
      },
    },
    async (request, reply) => {
      const receipt = await visits.logVisit(deps, request.context, request.params.id, request.body);
      return reply.status(201).send({ visitId: receipt.visitId, needs: [...receipt.needs] });
    },
  );

  api.get(
    '/api/v1/pairing/runs',
    {
      config: { access: 'pairing.manage' },
      schema: { tags: ['pairing'], summary: 'The newest pairing runs of your area', response: { 200: runListSchema } },
    },
    async (request) => {
      const items = await runs.listRuns(deps, request.context, 50);
      return { items: items.map((run) => {
        const { diff: _diff, ...rest } = presentRun(run);
        return rest;
      }) };
    },
  );

  api.post(
    '/api/v1/pairing/runs',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary:
          'Start the optimiser over the city’s or a district’s registry in the background (202, the run queued); poll GET /runs/{id} for its progress, then its numbers and diff against the current pairs. 409 while another run of the area is computed',
        body: runInputSchema,
        response: { 202: runSchema },
      },
    },
    async (request, reply) => {
      const { scenario, districtId, changePenalty, fairness, timeLimitSeconds } = request.body;
      const run = await runs.requestRun(deps, request.context, { scenario, districtId, overrides: { changePenalty, fairness, timeLimitSeconds } });
      executor.start(request.context, run.id);
      return reply.status(202).header('location', `/api/v1/pairing/runs/${run.id}`).send(presentRun(run));
    },
  );

  api.get(
    '/api/v1/pairing/runs/:id',
    {
      config: { access: 'pairing.manage' },
      schema: { tags: ['pairing'], summary: 'A pairing run: its status and progress while computed, then its numbers and diff', params: idParamsSchema, response: { 200: runSchema } },
    },
    async (request) => presentRun(await runs.getRun(deps, request.context, request.params.id)),
  );

  api.post(
    '/api/v1/pairing/runs/:id/approve',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary: 'Approve a proposal: its diff becomes the current pairs in one transaction (409 when the pairs changed since the run)',
        params: idParamsSchema,
        response: { 200: runSchema },
      },
    },
    async (request) => presentRun(await runs.approveRun(deps, request.context, request.params.id)),
  );

  api.post(
    '/api/v1/pairing/runs/:id/reject',
    {
      config: { access: 'pairing.manage' },
      schema: { tags: ['pairing'], summary: 'Reject a proposal; the current pairs stay', params: idParamsSchema, response: { 200: runSchema } },
    },
    async (request) => presentRun(await runs.rejectRun(deps, request.context, request.params.id)),
  );

  api.get(
    '/api/v1/pairing/coverage',
    {
      config: { access: 'pairing.manage' },
      schema: {
        tags: ['pairing'],
        summary: 'Coverage board of your area: households not visited in N days, cadres behind, needs open too long',
        querystring: coverageQuerySchema,
        response: { 200: coverageSchema },
      },
    },
    async (request) => {
      const { days, needDays } = request.query;
      const board = await visits.coverageBoard(deps, request.context, days, needDays);
      return {
        days,
        needDays,
        ...board,
        overdue: [...board.overdue],
        cadresBehind: [...board.cadresBehind],
        needsOpen: board.needsOpen.map((need) => ({ ...need, createdAt: need.createdAt.toISOString() })),
      };
    },
  );

  api.get(
    '/api/v1/pairing/statistics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['pairing'],
        summary: 'Public statistics per district: cadres, households, paired, visited in the last N days, visit rate (counts only)',
        querystring: pairingStatsQuerySchema,
        response: { 200: pairingStatsSchema },
      },
    },
    async (request) => ({ days: request.query.days, districts: await visits.publicStatistics(deps, request.context, request.query.days) }),
  );
}
