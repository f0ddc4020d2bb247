import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/index.ts';

/** One coordinator's category for one message, with the message's text: a training example. */
export interface CategoryLabelRow {
  readonly messageId: number;
  readonly title: string;
  readonly body: string;
  readonly categoryPath: string;
  readonly labelledAt: Date;
}

/**
 * A page of the city's labels in message order, after `afterMessageId`
 * (keyset paging, so an export of any size reads in bounded memory).
 */
export async function listCategoryLabels(db: Kysely<Database>, regionId: number, afterMessageId: number, limit: number): Promise<CategoryLabelRow[]> {
  const { rows } = await sql<{ message_id: string | number; title: string; body: string; path: string; labelled_at: Date | string }>`
    select l.message_id, m.title, m.body, c.path, l.labelled_at
      from category_labels l
      join messages m on m.region_id = l.region_id and m.id = l.message_id
      join categories c on c.region_id = l.region_id and c.id = l.category_id
     where l.region_id = ${regionId} and l.message_id > ${afterMessageId}
     order by l.message_id
     limit ${limit}`.execute(db);
  return rows.map((row) => ({
    messageId: Number(row.message_id),
    title: row.title,
    body: row.body,
    categoryPath: row.path,
    labelledAt: new Date(row.labelled_at),
  }));
}
