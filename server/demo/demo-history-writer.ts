/**
 * Writes the demo city's history: the generated cases with the demo
 * citizen's own in their midst and a triage queue left at the end, through
 * the voices module's historical path (state machine, SLA engine, batch
 * inserts); then the bureau adopts the citizen's suggestion into its work plan
 * through the plans service, at the times the history gives.
 */
import {
  adoptCase,
  createPlan,
  createPlanItem,
  updatePlanItem,
  writeHistoricalCases,
  type HistoricalCaseInput,
} from '../modules/voices/index.ts';
import {
  cliContext,
  findDepartmentByCode,
  listUsers,
  type PlatformDeps,
  type RequestContext,
  type Role,
} from '../platform/index.ts';
import type { DemoCity } from './demo-city.ts';
import { placeDemoCitizenCases, type DemoAdoption } from './demo-citizen.ts';
import { leaveTriageBacklog } from './demo-triage.ts';

/**
 * Writes `generated` (from generateDemoHistory with the same `now`) into the
 * demo city `regionId`, with the `citizen` login's cases and a triage backlog
 * (the history keeps its size). Returns the case ids in history order.
 */
export async function writeDemoHistory(
  deps: PlatformDeps,
  demo: DemoCity,
  regionId: number,
  generated: readonly HistoricalCaseInput[],
  now: Date,
): Promise<number[]> {
  const admin = await cliContext(deps, demo.city.code);
  const citizen = await findUser(deps, admin, 'citizen', 'citizen');
  const placed = placeDemoCitizenCases(demo, generated, { now, citizenUserId: citizen.id });
  const history = leaveTriageBacklog(demo, placed.history, {
    now,
    skip: new Set(placed.cases.map((entry) => entry.index)),
  });
  const ids = await writeHistoricalCases(deps, regionId, history, { sourceSystem: 'demo-history', batchSize: 500 });
  if (placed.adoption) await adoptSuggestion(deps, admin, placed.adoption, ids[placed.adoption.caseIndex]!);
  return ids;
}

async function findUser(deps: PlatformDeps, admin: RequestContext, username: string, role: Role) {
  const page = await listUsers(deps, admin, { q: username, role }, { limit: 50, offset: 0 });
  const user = page.items.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`demo: no ${role} login ${username} in the demo city`);
  return user;
}

/**
 * The bureau's handler makes the plan, adopts the suggestion into a new item
 * (its originator is told through the case timeline) and later reports
 * progress. Each call runs at its moment in the history, so the timeline
 * entries follow the case's own.
 */
async function adoptSuggestion(
  deps: PlatformDeps,
  admin: RequestContext,
  adoption: DemoAdoption,
  caseId: number,
): Promise<void> {
  const department = await findDepartmentByCode(deps.db, admin.regionId, adoption.departmentCode);
  if (!department) throw new Error(`demo: no department ${adoption.departmentCode}`);
  const handler = await findUser(deps, admin, adoption.handlerUsername, 'handler');
  // The loader acts under the handler's name, as the CLI does (no session, no account on the rows).
  const context: RequestContext = {
    ...admin,
    actor: {
      regionId: admin.regionId,
      userId: handler.id,
      username: handler.username,
      role: 'handler',
      departmentId: department.id,
      scopePath: handler.scopePath,
      via: 'cli',
    },
  };
  const at = (time: Date): PlatformDeps => ({ ...deps, clock: () => time });
  const plan = await createPlan(at(adoption.adoptedAt), context, adoption.plan);
  const others = [];
  for (const other of adoption.otherItems) {
    others.push(
      await createPlanItem(at(adoption.adoptedAt), context, plan.id, {
        title: other.title,
        description: other.description,
        ownerUserId: handler.id,
        dueDate: adoption.item.dueDate,
        status: 'planned',
      }),
    );
  }
  const item = await adoptCase(at(adoption.adoptedAt), context, caseId, {
    newItem: { planId: plan.id, ...adoption.item, ownerUserId: handler.id, status: 'planned', progress: 0 },
  });
  await updatePlanItem(at(adoption.progressAt), context, item.id, {
    version: item.version,
    status: 'in_progress',
    progress: adoption.progress.progress,
    note: adoption.progress.note,
  });
  for (const [index, other] of others.entries()) {
    await updatePlanItem(at(adoption.progressAt), context, other.id, {
      version: other.version,
      status: 'in_progress',
      progress: adoption.otherItems[index]!.progress,
    });
  }
}
