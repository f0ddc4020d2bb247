import { sql, type Kysely } from 'kysely';

/**
 * Reply quality scores (答复质量, docs/reply-quality.md): one row per reply,
 * keyed by the reply's timeline row `(region_id, case_id, event_version)` so
 * every round's reply keeps its own score and a re-score replaces it in place.
 * The replying department and the time of the reply are copied in so the
 * department scorecards can aggregate without reading timelines. Scores are
 * 0–1; timeliness and the delay are null when the days could not be counted.
 * `cues` holds the machine-readable reasons per dimension (codes and counts,
 * never text from the case). `method` names the scorer's version.
 */
const statements = [
  `create table reply_scores (
    region_id bigint not null,
    case_id bigint not null,
    event_version integer not null,
    round integer not null,
    department_id bigint,
    replied_at timestamptz not null,
    method text not null check (length(method) between 1 and 40),
    relevance double precision not null check (relevance between 0 and 1),
    completeness double precision not null check (completeness between 0 and 1),
    explainability double precision not null check (explainability between 0 and 1),
    timeliness double precision check (timeliness between 0 and 1),
    overall double precision not null check (overall between 0 and 1),
    delay_elapsed double precision check (delay_elapsed >= 0),
    delay_limit double precision check (delay_limit > 0),
    delay_unit text check (delay_unit in ('working_days', 'hours')),
    cues jsonb not null,
    scored_at timestamptz not null,
    primary key (region_id, case_id, event_version),
    foreign key (region_id, case_id, event_version) references case_events (region_id, case_id, version),
    foreign key (region_id, department_id) references departments (region_id, id),
    check ((delay_elapsed is null) = (delay_unit is null) and (delay_limit is null) = (delay_unit is null))
  )`,
  // Department scorecards: a department's replies over a period.
  `create index reply_scores_by_department on reply_scores (region_id, department_id, replied_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
