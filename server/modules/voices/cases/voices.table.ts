import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T extends object> = JSONColumnType<T, string, string>;

export interface CategoryTable {
  region_id: number;
  id: Generated<number>;
  parent_id: number | null;
  level: number;
  name: string;
  /** The names from the top down joined by '/', e.g. '城乡建设/安全生产/事故处理'. */
  path: string;
}

export interface CaseTable {
  region_id: number;
  id: Generated<number>;
  number: string;
  title: string;
  kind: string;
  category_id: number | null;
  district_id: number | null;
  community_id: number | null;
  department_id: number | null;
  co_handler_ids: Json<number[]>;
  state: string;
  version: number;
  /** The state machine's `CaseSnapshot`, dates as ISO strings. */
  snapshot: Json<Record<string, unknown>>;
  /** The SLA engine's `DeadlineClock` while one runs (or is paused), else null. */
  deadline: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  due_at: Date | null;
  urgent: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Date | null;
}

export interface MessageTable {
  region_id: number;
  id: Generated<number>;
  case_id: number;
  channel: string;
  kind: string;
  title: string;
  body: string;
  requester_user_id: number | null;
  requester_key: string;
  tracking_code: string;
  contact: JSONColumnType<Record<string, string> | null, string | null, string | null>;
  lat: number | null;
  lng: number | null;
  address: string | null;
  community_id: number | null;
  district_id: number | null;
  category_id: number | null;
  source_system: string | null;
  source_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  submitted_at: Timestamp;
  suggested_category: string | null;
  suggested_confidence: number | null;
  classifier_model: string | null;
}

export interface CategoryLabelTable {
  region_id: number;
  message_id: number;
  category_id: number;
  labelled_by: number | null;
  labelled_at: Timestamp;
}

export interface CaseEventTable {
  region_id: number;
  case_id: number;
  version: number;
  round: number;
  at: Timestamp;
  actor_user_id: number | null;
  actor_label: string;
  event: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  details: Json<Record<string, unknown>>;
  /** Order of writing (the notification outbox reads by it); a bigint, read as a string. */
  position: Generated<string>;
}

export interface RoutingRuleTable {
  region_id: number;
  id: Generated<number>;
  category_path_prefix: string;
  district_id: number | null;
  department_id: number;
  co_handler_ids: Json<number[]>;
  priority: number;
  created_at: Timestamp;
  created_by: number | null;
  retired_at: Date | null;
  replaces_id: number | null;
}

export interface NotificationCursorTable {
  region_id: number;
  position: string;
  updated_at: Timestamp;
}

export interface NotificationTable {
  region_id: number;
  id: Generated<number>;
  /** `user:<id>` or `code:<tracking code>` (anonymous citizens read theirs on the track page). */
  recipient: string;
  /** The case the notification is about; null for a hot-issue alert or a subject. */
  case_id: number | null;
  case_version: number;
  /** The early-warning alert the notification is about (`hot_issue_alerts`). */
  hot_issue_alert_id: number | null;
  /** What else it is about, named by its owner (`pairing_reminder:<id>`); exactly one of case, alert and subject. */
  subject: string | null;
  kind: string;
  template: string;
  params: Json<Record<string, string>>;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  created_at: Timestamp;
  read_at: Date | null;
}

export interface WebhookTable {
  region_id: number;
  id: Generated<number>;
  url: string;
  secret: string;
  events: Json<string[]>;
  active: Generated<boolean>;
  created_at: Timestamp;
  created_by: number | null;
}

export interface NotificationDeliveryTable {
  region_id: number;
  id: Generated<number>;
  /** The case, or null for a delivery about a `subject` (migration `2026-12-02T0240-subject-deliveries`). */
  case_id: number | null;
  case_version: number;
  subject: ColumnType<string | null, string | null | undefined, string | null>;
  channel: 'email' | 'webhook';
  /** `user:<id>`, `code:<tracking code>` or `webhook:<id>`: the address is looked up when sending, never copied. */
  target: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

/** The module's tables, added to the platform's with `db.withTables<VoicesTables>()`. */
export type VoicesTables = {
  categories: CategoryTable;
  cases: CaseTable;
  messages: MessageTable;
  category_labels: CategoryLabelTable;
  case_events: CaseEventTable;
  routing_rules: RoutingRuleTable;
  notification_cursor: NotificationCursorTable;
  notifications: NotificationTable;
  webhooks: WebhookTable;
  notification_deliveries: NotificationDeliveryTable;
};
