import {
  AppError,
  accountIdOf,
  assertAllowed,
  inTransaction,
  isAllowed,
  recordAudit,
  requireActor,
  type Actor,
  type PlatformDeps,
  type RequestContext,
  type Resource,
  type Trx,
} from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import { caseResource } from '../cases/case.service.ts';
import * as categories from '../routing/category.repository.ts';
import type { CaseKind } from '../cases/voices.ts';
import { chooseTemplates, fillTemplate, type ReplyTemplate } from './reply-template.ts';
import * as repository from './reply-template.repository.ts';

/**
 * Reply templates (答复模板): the city's, kept by city-wide coordinators (and
 * admins), and each department's own, kept by its handlers and the
 * coordinators whose scope covers it. A handler replying to a case gets the
 * templates that fit it, filled with the case's facts. Templates are never
 * edited: a new version retires the old row, so the history stays.
 */

type Db = Trx | PlatformDeps['db'];

/** What a manager writes; `departmentId` null is a template of the city. */
export interface ReplyTemplateInput {
  readonly categoryPathPrefix: string | null;
  readonly kind: CaseKind | null;
  readonly departmentId: number | null;
  readonly title: string;
  readonly body: string;
}

/** A template fitted to one case: the template and its filled text. */
export interface FittedTemplate {
  readonly template: ReplyTemplate;
  readonly text: string;
  /** Placeholders left as written: unknown, or without a value for this case. */
  readonly unfilled: readonly string[];
}

const invalid = (path: string, message: string): AppError =>
  new AppError('validation_failed', message, { errors: [{ path, message }] });

/** The policy resource a template (or a template to be) belongs to. */
async function ownerResource(
  db: Db,
  regionId: number,
  departmentId: number | null,
  options: { activeOnly: boolean },
): Promise<Resource> {
  if (departmentId === null) return { kind: 'city' };
  const path = await repository.findDepartmentPath(db, regionId, departmentId, options);
  if (path === undefined)
    throw invalid('departmentId', `Department ${departmentId} is not an active department of this city`);
  return { kind: 'department', id: departmentId, path };
}

async function checkInput(trx: Trx, actor: Actor, regionId: number, input: ReplyTemplateInput): Promise<void> {
  assertAllowed(
    actor,
    'reply_template.manage',
    await ownerResource(trx, regionId, input.departmentId, { activeOnly: true }),
  );
  if (
    input.categoryPathPrefix !== null &&
    !(await categories.findCategoryByPath(trx, regionId, input.categoryPathPrefix))
  ) {
    throw invalid('categoryPathPrefix', `No category ${input.categoryPathPrefix}`);
  }
}

/** Filters of the management list. */
export interface ReplyTemplateQuery {
  readonly withHistory: boolean;
  /** 'city': only the city's; a number: only that department's. */
  readonly owner?: 'city' | number | undefined;
  readonly kind?: CaseKind | undefined;
  readonly categoryPrefix?: string | undefined;
  readonly q?: string | undefined;
}

/**
 * The templates the reader may see, newest first: the city's and, for a
 * handler, their department's; for a coordinator or admin, those of the
 * departments inside their scope. Another department's templates are never
 * listed to a handler (asking for them is 403).
 */
export function listReplyTemplates(
  deps: PlatformDeps,
  context: RequestContext,
  query: ReplyTemplateQuery,
): Promise<ReplyTemplate[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'reply_template.read');
  if (actor.role === 'handler' && typeof query.owner === 'number' && query.owner !== actor.departmentId) {
    throw new AppError('forbidden', 'Handlers see only their own department’s templates and the city’s', {
      action: 'reply_template.read',
    });
  }
  const scope: repository.TemplateListScope =
    actor.role === 'handler' ? { departmentId: actor.departmentId ?? -1 } : { scopePath: actor.scopePath };
  return repository.listTemplates(deps.db, context.regionId, {
    scope,
    withHistory: query.withHistory,
    ...(query.owner !== undefined ? { owner: query.owner } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.categoryPrefix ? { categoryPrefix: query.categoryPrefix } : {}),
    ...(query.q ? { q: query.q } : {}),
  });
}

/** Adds a template: the city's (city-wide coordinators, admins) or a department's (its handlers, coordinators in scope). Audited. */
export async function createReplyTemplate(
  deps: PlatformDeps,
  context: RequestContext,
  input: ReplyTemplateInput,
): Promise<ReplyTemplate> {
  const actor = requireActor(context);
  assertAllowed(actor, 'reply_template.manage');
  return inTransaction(deps.db, async (trx) => {
    await checkInput(trx, actor, context.regionId, input);
    const now = deps.clock();
    const template = await repository.insertTemplate(trx, context.regionId, {
      ...input,
      createdAt: now,
      createdBy: accountIdOf(actor),
      replacesId: null,
    });
    await recordAudit(
      trx,
      context,
      { action: 'reply_template.create', resourceType: 'reply_template', resourceId: template.id, after: template },
      now,
    );
    return template;
  });
}

async function liveTemplate(trx: Trx, actor: Actor, regionId: number, id: number): Promise<ReplyTemplate> {
  const template = await repository.findTemplate(trx, regionId, id);
  if (!template) throw new AppError('not_found', `Reply template ${id} does not exist`);
  // A handler learns nothing about another department's template beyond "not yours".
  assertAllowed(
    actor,
    'reply_template.manage',
    await ownerResource(trx, regionId, template.departmentId, { activeOnly: false }),
  );
  if (template.retiredAt !== null)
    throw new AppError('conflict', `Reply template ${id} was retired; change its successor instead`);
  return template;
}

/**
 * A new version of a template: the old row is retired and the new one points
 * to it. The manager must manage both the old and the new owner (a handler
 * cannot move their template to the city). A retired template is 409.
 */
export async function replaceReplyTemplate(
  deps: PlatformDeps,
  context: RequestContext,
  id: number,
  input: ReplyTemplateInput,
): Promise<ReplyTemplate> {
  const actor = requireActor(context);
  assertAllowed(actor, 'reply_template.manage');
  return inTransaction(deps.db, async (trx) => {
    const before = await liveTemplate(trx, actor, context.regionId, id);
    await checkInput(trx, actor, context.regionId, input);
    const now = deps.clock();
    if (!(await repository.retireTemplate(trx, context.regionId, id, now)))
      throw new AppError('conflict', `Reply template ${id} was retired by someone else`);
    const template = await repository.insertTemplate(trx, context.regionId, {
      ...input,
      createdAt: now,
      createdBy: accountIdOf(actor),
      replacesId: id,
    });
    await recordAudit(
      trx,
      context,
      {
        action: 'reply_template.replace',
        resourceType: 'reply_template',
        resourceId: template.id,
        before,
        after: template,
        details: { replaces: id },
      },
      now,
    );
    return template;
  });
}

/** Retires a template: it is offered no more, and stays in the history. Audited. */
export async function retireReplyTemplate(
  deps: PlatformDeps,
  context: RequestContext,
  id: number,
): Promise<ReplyTemplate> {
  const actor = requireActor(context);
  assertAllowed(actor, 'reply_template.manage');
  return inTransaction(deps.db, async (trx) => {
    const before = await liveTemplate(trx, actor, context.regionId, id);
    const now = deps.clock();
    if (!(await repository.retireTemplate(trx, context.regionId, id, now)))
      throw new AppError('conflict', `Reply template ${id} was retired by someone else`);
    await recordAudit(
      trx,
      context,
      { action: 'reply_template.retire', resourceType: 'reply_template', resourceId: id, before },
      now,
    );
    return { ...before, retiredAt: now };
  });
}

/**
 * The templates that fit a case (longest category prefix, then its kind, then
 * the lead department's own over the city's), filled with its number, title,
 * category, acceptance date, today and lead department. For the lead
 * department's handlers and coordinators in scope (403 otherwise). The
 * requester's name fills `{诉求人称呼}` only when the reader may see personal
 * data (`case.read_personal`); that read is then audited like opening the
 * contact. Never a phone, e-mail or address.
 */
export async function templatesForCase(
  deps: PlatformDeps,
  context: RequestContext,
  caseId: number,
): Promise<FittedTemplate[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'reply_template.use');
  return inTransaction(deps.db, async (trx) => {
    const record = await cases.findCase(trx, context.regionId, caseId);
    if (!record) throw new AppError('not_found', `Case ${caseId} does not exist`);
    const resource = caseResource(record, await cases.listRequesterUserIds(trx, context.regionId, caseId));
    assertAllowed(actor, 'reply_template.use', resource);
    const departmentId = record.snapshot.departmentId;
    const fitting = chooseTemplates(await repository.listLiveTemplatesFor(trx, context.regionId, departmentId), {
      categoryPath: record.categoryPath,
      kind: record.kind,
      departmentId,
    });
    const now = deps.clock();
    let salutation: string | null = null;
    const wantsName = fitting.some((template) => /\{(诉求人称呼|salutation)\}/.test(template.body));
    if (wantsName && isAllowed(actor, 'case.read_personal', resource)) {
      const messages = await cases.listMessages(trx, context.regionId, caseId);
      salutation = messages.map((message) => message.contact?.name?.trim()).find(Boolean) ?? null;
      if (salutation !== null) {
        await recordAudit(
          trx,
          context,
          {
            action: 'case.read_personal',
            resourceType: 'case',
            resourceId: caseId,
            details: { for: 'reply_template' },
          },
          now,
        );
      }
    }
    const values = {
      caseNumber: record.number,
      caseTitle: record.title,
      categoryPath: record.categoryPath,
      acceptedAt: record.createdAt,
      department: record.departmentName,
      departmentEn: record.departmentNameEn,
      salutation,
      now,
    };
    return fitting.map((template) => ({ template, ...fillTemplate(template.body, values) }));
  });
}
