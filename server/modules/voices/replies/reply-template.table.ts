import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ReplyTemplateTable {
  region_id: number;
  id: Generated<number>;
  category_path_prefix: string | null;
  kind: string | null;
  department_id: number | null;
  title: string;
  body: string;
  created_by: number | null;
  created_at: Timestamp;
  retired_at: Timestamp | null;
  replaces_id: number | null;
}

/** Reply templates' table (migration `2026-12-01T1710-reply-templates`). */
export type ReplyTemplateTables = {
  reply_templates: ReplyTemplateTable;
};
