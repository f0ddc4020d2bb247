import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { CaseKind } from '../cases/voices.ts';
import type { ReplyTemplate } from './reply-template.ts';
import type { ReplyTemplateTable, ReplyTemplateTables } from './reply-template.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & ReplyTemplateTables> => db.withTables<ReplyTemplateTables>();

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function toTemplate(row: Selectable<ReplyTemplateTable>): ReplyTemplate {
  return {
    id: Number(row.id),
    categoryPathPrefix: row.category_path_prefix,
    kind: row.kind as CaseKind | null,
    departmentId: row.department_id === null ? null : Number(row.department_id),
    title: row.title,
    body: row.body,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by === null ? null : Number(row.created_by),
    retiredAt: row.retired_at === null ? null : new Date(row.retired_at),
    replacesId: row.replaces_id === null ? null : Number(row.replaces_id),
  };
}

/**
 * Whose templates a list may show besides the city's: one department's (a
 * handler's), or those of the departments inside a region path (a
 * coordinator's scope; a department without a district sits at the city).
 */
export type TemplateListScope = { readonly departmentId: number } | { readonly scopePath: string };

export interface TemplateListFilter {
  readonly scope: TemplateListScope;
  readonly withHistory: boolean;
  /** 'city': only the city's templates; a number: only that department's. */
  readonly owner?: 'city' | number;
  readonly kind?: CaseKind;
  /** Templates whose category prefix is this category or lies below it. */
  readonly categoryPrefix?: string;
  readonly q?: string;
}

/** The templates a reader may see, newest first. */
export async function listTemplates(
  db: Executor,
  regionId: number,
  filter: TemplateListFilter,
): Promise<ReplyTemplate[]> {
  let query = tables(db)
    .selectFrom('reply_templates as t')
    .leftJoin('departments as dep', (join) =>
      join.onRef('dep.region_id', '=', 't.region_id').onRef('dep.id', '=', 't.department_id'),
    )
    .leftJoin('regions as r', (join) =>
      join.onRef('r.region_id', '=', 'dep.region_id').onRef('r.id', '=', 'dep.district_id'),
    )
    .selectAll('t')
    .where('t.region_id', '=', regionId);
  const { scope } = filter;
  if ('departmentId' in scope) {
    query = query.where((eb) =>
      eb.or([eb('t.department_id', 'is', null), eb('t.department_id', '=', scope.departmentId)]),
    );
  } else if (scope.scopePath !== `/${regionId}/`) {
    // A district's coordinator: the city's templates, and those of the departments of their district.
    query = query.where((eb) =>
      eb.or([eb('t.department_id', 'is', null), eb('r.path', 'like', `${escapeLike(scope.scopePath)}%`)]),
    );
  }
  if (!filter.withHistory) query = query.where('t.retired_at', 'is', null);
  if (filter.owner === 'city') query = query.where('t.department_id', 'is', null);
  else if (filter.owner !== undefined) query = query.where('t.department_id', '=', filter.owner);
  if (filter.kind) query = query.where('t.kind', '=', filter.kind);
  if (filter.categoryPrefix) {
    const prefix = filter.categoryPrefix;
    query = query.where((eb) =>
      eb.or([
        eb('t.category_path_prefix', '=', prefix),
        eb('t.category_path_prefix', 'like', `${escapeLike(prefix)}/%`),
      ]),
    );
  }
  if (filter.q) query = query.where('t.title', 'ilike', `%${escapeLike(filter.q)}%`);
  const rows = await query.orderBy('t.id', 'desc').limit(1000).execute();
  return rows.map(toTemplate);
}

/** The live templates a case of `departmentId` may use: the city's and that department's. */
export async function listLiveTemplatesFor(
  db: Executor,
  regionId: number,
  departmentId: number | null,
): Promise<ReplyTemplate[]> {
  let query = tables(db)
    .selectFrom('reply_templates')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('retired_at', 'is', null);
  query =
    departmentId === null
      ? query.where('department_id', 'is', null)
      : query.where((eb) => eb.or([eb('department_id', 'is', null), eb('department_id', '=', departmentId)]));
  const rows = await query.execute();
  return rows.map(toTemplate);
}

export async function findTemplate(db: Executor, regionId: number, id: number): Promise<ReplyTemplate | undefined> {
  const row = await tables(db)
    .selectFrom('reply_templates')
    .selectAll()
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toTemplate(row);
}

/** A department as templates see it: the region path its work covers (the city's when it has no district). */
export async function findDepartmentPath(
  db: Executor,
  regionId: number,
  id: number,
  options: { activeOnly: boolean },
): Promise<string | undefined> {
  let query = tables(db)
    .selectFrom('departments as d')
    .leftJoin('regions as r', (join) =>
      join.onRef('r.region_id', '=', 'd.region_id').onRef('r.id', '=', 'd.district_id'),
    )
    .select('r.path')
    .where('d.region_id', '=', regionId)
    .where('d.id', '=', id);
  if (options.activeOnly) query = query.where('d.active', '=', true);
  const row = await query.executeTakeFirst();
  return row && (row.path ?? `/${regionId}/`);
}

export type NewReplyTemplate = Omit<ReplyTemplate, 'id' | 'retiredAt'>;

export async function insertTemplate(
  db: Executor,
  regionId: number,
  template: NewReplyTemplate,
): Promise<ReplyTemplate> {
  const row = await tables(db)
    .insertInto('reply_templates')
    .values({
      region_id: regionId,
      category_path_prefix: template.categoryPathPrefix,
      kind: template.kind,
      department_id: template.departmentId,
      title: template.title,
      body: template.body,
      created_by: template.createdBy,
      created_at: template.createdAt,
      retired_at: null,
      replaces_id: template.replacesId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTemplate(row);
}

/** Retires a live template; false when it was already retired (someone else got there first). */
export async function retireTemplate(db: Executor, regionId: number, id: number, at: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('reply_templates')
    .set({ retired_at: at })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
