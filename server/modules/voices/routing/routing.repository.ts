import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../platform/index.ts';
import type { RoutingRule } from '../cases/voices.ts';
import type { RoutingRuleTable, VoicesTables } from '../cases/voices.table.ts';

type Executor = Kysely<Database>;
const tables = (db: Executor): Kysely<Database & VoicesTables> => db.withTables<VoicesTables>();

function toRule(row: Selectable<RoutingRuleTable>): RoutingRule {
  return {
    id: Number(row.id),
    categoryPathPrefix: row.category_path_prefix,
    districtId: row.district_id === null ? null : Number(row.district_id),
    departmentId: Number(row.department_id),
    coHandlerIds: row.co_handler_ids.map(Number),
    priority: row.priority,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by === null ? null : Number(row.created_by),
    retiredAt: row.retired_at === null ? null : new Date(row.retired_at),
    replacesId: row.replaces_id === null ? null : Number(row.replaces_id),
  };
}

/** The city's rules, newest first; retired ones too when `withHistory`. */
export async function listRules(db: Executor, regionId: number, options: { withHistory: boolean }): Promise<RoutingRule[]> {
  let query = tables(db).selectFrom('routing_rules').selectAll().where('region_id', '=', regionId);
  if (!options.withHistory) query = query.where('retired_at', 'is', null);
  const rows = await query.orderBy('id', 'desc').execute();
  return rows.map(toRule);
}

export async function findRule(db: Executor, regionId: number, id: number): Promise<RoutingRule | undefined> {
  const row = await tables(db).selectFrom('routing_rules').selectAll().where('region_id', '=', regionId).where('id', '=', id).executeTakeFirst();
  return row && toRule(row);
}

export interface NewRoutingRule {
  readonly categoryPathPrefix: string;
  readonly districtId: number | null;
  readonly departmentId: number;
  readonly coHandlerIds: readonly number[];
  readonly priority: number;
  readonly createdAt: Date;
  readonly createdBy: number | null;
  readonly replacesId: number | null;
}

export async function insertRule(db: Executor, regionId: number, rule: NewRoutingRule): Promise<RoutingRule> {
  const row = await tables(db)
    .insertInto('routing_rules')
    .values({
      region_id: regionId,
      category_path_prefix: rule.categoryPathPrefix,
      district_id: rule.districtId,
      department_id: rule.departmentId,
      co_handler_ids: JSON.stringify(rule.coHandlerIds),
      priority: rule.priority,
      created_at: rule.createdAt,
      created_by: rule.createdBy,
      retired_at: null,
      replaces_id: rule.replacesId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRule(row);
}

/** Retires an active rule; false when it was already retired (someone else got there first). */
export async function retireRule(db: Executor, regionId: number, id: number, at: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('routing_rules')
    .set({ retired_at: at })
    .where('region_id', '=', regionId)
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
