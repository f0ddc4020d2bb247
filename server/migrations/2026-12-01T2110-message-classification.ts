import { sql, type Kysely } from 'kysely';

/**
 * What the classifier said of each message at intake (the suggested taxonomy
 * path, its confidence and the model that said it), and the categories
 * coordinators set by hand: one label per message, the training data of the
 * city's next model (`minxin voices labels export` → `minxin train`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table messages
       add column suggested_category text check (length(suggested_category) <= 320),
       add column suggested_confidence real check (suggested_confidence between 0 and 1),
       add column classifier_model text check (length(classifier_model) <= 100),
       add constraint messages_suggestion_whole check ((suggested_category is null) = (suggested_confidence is null) and (suggested_category is null) = (classifier_model is null))`,
    `create table category_labels (
       region_id bigint not null,
       message_id bigint not null,
       category_id bigint not null,
       labelled_by bigint,
       labelled_at timestamptz not null,
       primary key (region_id, message_id),
       foreign key (region_id, message_id) references messages (region_id, id),
       foreign key (region_id, category_id) references categories (region_id, id),
       foreign key (region_id, labelled_by) references users (region_id, id)
     )`,
    `create index category_labels_time on category_labels (region_id, labelled_at)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
