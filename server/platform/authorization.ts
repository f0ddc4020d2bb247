import { AppError } from './errors.ts';

/** The six roles of Minxin; a user has exactly one, plus a scope. */
export const ROLES = ['citizen', 'handler', 'coordinator', 'cadre', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work for the city (everyone but citizens). */
export const STAFF_ROLES: readonly Role[] = ['handler', 'coordinator', 'cadre', 'auditor', 'admin'];

/**
 * Who is acting. `scopePath` is the materialised path of the region the
 * actor's scope covers ('/1/' for the whole city, '/1/4/' for a district);
 * `departmentId` limits handlers to their department.
 */
export interface Actor {
  readonly regionId: number;
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  readonly departmentId: number | null;
  readonly scopePath: string;
  readonly via: 'session' | 'token' | 'cli';
}

/**
 * The user row behind an actor, for foreign keys such as `created_by`; null
 * for the CLI operator, who acts without an account.
 */
export const accountIdOf = (actor: Actor): number | null => (actor.via === 'cli' ? null : actor.userId);

/** What a resource exposes to the policy: where it sits and who it belongs to. */
export type Resource =
  | { readonly kind: 'city' }
  | { readonly kind: 'region'; readonly path: string }
  | { readonly kind: 'department'; readonly id: number; readonly path: string }
  | {
      readonly kind: 'user';
      readonly id: number;
      readonly role: Role;
      readonly departmentId: number | null;
      readonly path: string;
    }
  | {
      /** A citizens' case: `path` is its district's region path (the city's when it has none). */
      readonly kind: 'case';
      readonly id: number;
      readonly path: string;
      readonly departmentId: number | null;
      readonly coHandlerIds: readonly number[];
      readonly requesterUserIds: readonly number[];
    }
  | {
      /** A livelihood project: `path` is its district's region path (the city's when it has none). */
      readonly kind: 'project';
      readonly id: number;
      readonly path: string;
      readonly departmentId: number;
      readonly coDepartmentIds: readonly number[];
    }
  | {
      /** A household in difficulty (结对帮扶): `path` is its community's region path; `cadreUserId` its paired cadre's account. */
      readonly kind: 'household';
      readonly id: number;
      readonly path: string;
      readonly cadreUserId: number | null;
    };

/** Every action a route may ask about. Adding one forces a decision in `POLICY`. */
export type Action =
  | 'region.manage'
  | 'department.read'
  | 'department.manage'
  | 'user.read'
  | 'user.read_personal'
  | 'user.manage'
  | 'user.reset_password'
  | 'import.run'
  | 'audit.read'
  | 'token.manage_own'
  | 'case.read'
  | 'case.read_personal'
  | 'case.act'
  | 'case.triage'
  | 'case.export'
  | 'routing.manage'
  | 'notification.read_own'
  | 'webhook.manage'
  | 'delivery.manage'
  | 'plan.read'
  | 'plan.manage'
  | 'reply_template.read'
  | 'reply_template.manage'
  | 'reply_template.use'
  | 'join_proposal.read'
  | 'join_proposal.decide'
  | 'reply_quality.read'
  | 'category_labels.export'
  | 'hot_issue.read'
  | 'project.read'
  | 'project.manage'
  | 'project.progress'
  | 'finding.read'
  | 'finding.manage'
  | 'rectification.update'
  | 'procurement.read'
  | 'procurement.import'
  | 'indicator_settings.manage'
  | 'pairing.read'
  | 'pairing.manage'
  | 'household.read_personal'
  | 'visit.log';

type ScopeRule = (actor: Actor, resource: Resource) => boolean;

const within = (actor: Actor, path: string): boolean => path.startsWith(actor.scopePath);
const isCityWide = (actor: Actor): boolean => actor.scopePath.split('/').filter(Boolean).length === 1;
const pathOf = (resource: Resource, actor: Actor): string =>
  resource.kind === 'city' ? `/${actor.regionId}/` : resource.path;
const isSelf = (actor: Actor, resource: Resource): boolean => resource.kind === 'user' && resource.id === actor.userId;

/** Inside the actor's region scope; a district admin may not change the district itself. */
const inScope: ScopeRule = (actor, resource) => {
  if (resource.kind === 'city') return isCityWide(actor);
  if (resource.kind === 'region' && !isCityWide(actor) && resource.path === actor.scopePath) return false;
  return within(actor, pathOf(resource, actor));
};

/**
 * Who may see or work a case: a handler the cases of their department (lead
 * or co-handling), a citizen their own, everyone else the cases inside their
 * region scope. Without a concrete case (lists), the region scope decides.
 */
const caseScope: ScopeRule = (actor, resource) => {
  if (resource.kind !== 'case') return within(actor, pathOf(resource, actor));
  if (actor.role === 'handler') {
    return actor.departmentId !== null && (resource.departmentId === actor.departmentId || resource.coHandlerIds.includes(actor.departmentId));
  }
  if (actor.role === 'citizen') return resource.requesterUserIds.includes(actor.userId);
  return within(actor, resource.path);
};

/** A department's own handlers; everyone else within their region scope (for plans). */
const departmentScope: ScopeRule = (actor, resource) => {
  if (actor.role === 'handler') return resource.kind === 'department' && resource.id === actor.departmentId;
  return within(actor, pathOf(resource, actor));
};

/**
 * Livelihood projects: a handler the projects their department leads or co-runs
 * (or, for a department resource, their own department); everyone else within
 * their region scope.
 */
const projectScope: ScopeRule = (actor, resource) => {
  if (actor.role === 'handler') {
    if (resource.kind === 'project') return actor.departmentId !== null && (resource.departmentId === actor.departmentId || resource.coDepartmentIds.includes(actor.departmentId));
    return resource.kind === 'department' && resource.id === actor.departmentId;
  }
  return within(actor, pathOf(resource, actor));
};

/** Households: a cadre their own (paired) ones; everyone else those inside their region scope. */
const householdScope: ScopeRule = (actor, resource) => {
  if (actor.role === 'cadre') return resource.kind === 'household' && resource.cadreUserId === actor.userId;
  return within(actor, pathOf(resource, actor));
};

/**
 * The policy table: per action, which roles may ever do it, and the scope
 * test a concrete resource must pass. It is the one place Minxin decides
 * access; every route and CLI command asks it.
 */
const POLICY: Record<Action, { roles: readonly Role[]; scope: ScopeRule }> = {
  'region.manage': { roles: ['admin'], scope: inScope },
  'department.read': { roles: STAFF_ROLES, scope: () => true },
  'department.manage': { roles: ['admin'], scope: inScope },
  'user.read': {
    roles: ['handler', 'coordinator', 'auditor', 'admin'],
    scope: (actor, resource) => {
      if (resource.kind === 'city' || isSelf(actor, resource)) return true;
      if (actor.role === 'handler') return resource.kind === 'user' && resource.departmentId === actor.departmentId;
      return within(actor, pathOf(resource, actor));
    },
  },
  'user.read_personal': { roles: ['admin'], scope: inScope },
  'user.manage': {
    roles: ['admin'],
    // Only a city-wide admin may create or change another admin.
    scope: (actor, resource) =>
      inScope(actor, resource) && (resource.kind !== 'user' || resource.role !== 'admin' || isCityWide(actor)),
  },
  'user.reset_password': {
    roles: ['admin'],
    scope: (actor, resource) => inScope(actor, resource) && !isSelf(actor, resource),
  },
  'import.run': { roles: ['admin'], scope: (actor) => isCityWide(actor) },
  'audit.read': { roles: ['auditor', 'admin'], scope: (actor) => isCityWide(actor) },
  'token.manage_own': { roles: ROLES, scope: () => true },
  'case.read': { roles: ['citizen', 'handler', 'coordinator', 'auditor', 'admin'], scope: caseScope },
  'case.read_personal': {
    roles: ['handler', 'coordinator'],
    // The lead department's handlers, not co-handlers: they work from the lead's notes.
    scope: (actor, resource) =>
      resource.kind === 'case' && (actor.role === 'handler' ? resource.departmentId === actor.departmentId : within(actor, resource.path)),
  },
  'case.act': { roles: ['citizen', 'handler', 'coordinator'], scope: caseScope },
  'case.triage': { roles: ['coordinator'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // Deadline exports (no personal data) for staff who read cases; the rows are filtered by the list's scope.
  'case.export': { roles: ['handler', 'coordinator', 'auditor', 'admin'], scope: caseScope },
  'routing.manage': { roles: ['coordinator', 'admin'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // Everyone reads and marks their own notifications; the query is limited to the actor.
  'notification.read_own': { roles: ROLES, scope: () => true },
  // Webhooks see every case of the city, so only city-wide coordinators and admins manage them.
  'webhook.manage': { roles: ['coordinator', 'admin'], scope: (actor) => isCityWide(actor) },
  // Failed deliveries span the whole city (webhooks, every district's e-mail): city-wide coordinators and admins.
  'delivery.manage': { roles: ['coordinator', 'admin'], scope: (actor) => isCityWide(actor) },
  // Work plans belong to a department: its handlers, and staff whose scope covers the department's area.
  'plan.read': { roles: ['handler', 'coordinator', 'auditor', 'admin'], scope: (actor, resource) => departmentScope(actor, resource) },
  'plan.manage': { roles: ['handler', 'coordinator'], scope: (actor, resource) => departmentScope(actor, resource) },
  // Reply templates: the city's (resource `city`) are read by all who reply and managed by city-wide coordinators
  // and admins; a department's own by its handlers (there is no department-head role) and staff whose scope covers it.
  'reply_template.read': {
    roles: ['handler', 'coordinator', 'admin'],
    scope: (actor, resource) => resource.kind === 'city' || departmentScope(actor, resource),
  },
  'reply_template.manage': {
    roles: ['handler', 'coordinator', 'admin'],
    scope: (actor, resource) => (resource.kind === 'city' ? actor.role !== 'handler' && isCityWide(actor) : departmentScope(actor, resource)),
  },
  // Filled templates quote the case: for those who reply to it (the lead department) and coordinators in scope.
  'reply_template.use': {
    roles: ['handler', 'coordinator'],
    scope: (actor, resource) =>
      resource.kind === 'case' && (actor.role === 'handler' ? resource.departmentId === actor.departmentId : within(actor, resource.path)),
  },
  // Reply quality scores judge a department's work: staff who read the case, never the citizen (docs/reply-quality.md).
  'reply_quality.read': { roles: ['handler', 'coordinator', 'auditor', 'admin'], scope: caseScope },
  // Near-duplicate join proposals show two cases' messages: coordinators and admins whose scope covers both cases.
  'join_proposal.read': { roles: ['coordinator', 'admin'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // Confirming merges the cases (并案), a coordinator's act in the lifecycle; so is rejecting.
  'join_proposal.decide': { roles: ['coordinator'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // The classifier's training data: coordinators' categories with the citizens' own words, city-wide admins only.
  'category_labels.export': { roles: ['admin'], scope: (actor) => isCityWide(actor) },
  // Hot issues (热点问题) group the citizens' messages of the actor's region scope: coordinators and admins.
  'hot_issue.read': { roles: ['coordinator', 'admin'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // Livelihood projects (docs/projects.md): staff who lead, co-run or oversee them read them; auditors read every one.
  'project.read': { roles: ['handler', 'coordinator', 'auditor', 'admin'], scope: projectScope },
  // The registry, budget and payments: coordinators and admins in scope.
  'project.manage': { roles: ['coordinator', 'admin'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // Milestones and progress: the lead department's handlers (not co-units), coordinators and admins in scope.
  'project.progress': {
    roles: ['handler', 'coordinator', 'admin'],
    scope: (actor, resource) => (actor.role === 'handler' ? resource.kind === 'project' && resource.departmentId === actor.departmentId : within(actor, pathOf(resource, actor))),
  },
  // Findings and rectification items: whoever reads the project, a handler the items of their own department.
  'finding.read': { roles: ['handler', 'coordinator', 'auditor', 'admin'], scope: projectScope },
  // Opening, closing findings and signing off rectification: city-wide auditors.
  'finding.manage': { roles: ['auditor'], scope: (actor) => isCityWide(actor) },
  // Rectification items: the owner department's handlers and coordinators in scope report (evidence, submitted);
  // city-wide auditors sign off or send back.
  'rectification.update': { roles: ['handler', 'coordinator', 'auditor'], scope: (actor, resource) => (actor.role === 'auditor' ? isCityWide(actor) : departmentScope(actor, resource)) },
  // Procurement and its red flags: staff who read the linked project; auditors everything.
  'procurement.read': { roles: ['handler', 'coordinator', 'auditor', 'admin'], scope: projectScope },
  // Importing OCDS data is city-wide work.
  'procurement.import': { roles: ['coordinator', 'admin'], scope: (actor) => isCityWide(actor) },
  // The red-flag settings (one versioned INI per city): city-wide auditors.
  'indicator_settings.manage': { roles: ['auditor'], scope: (actor) => isCityWide(actor) },
  // Pairing (docs/pairing.md): a cadre reads only the households paired with them; coordinators and admins their area.
  'pairing.read': { roles: ['cadre', 'coordinator', 'admin'], scope: householdScope },
  // The registry and the optimiser's runs: coordinators and admins of the area (a run over the city needs city-wide scope).
  'pairing.manage': { roles: ['coordinator', 'admin'], scope: (actor, resource) => within(actor, pathOf(resource, actor)) },
  // A household's phone and notes: its own cadre and coordinators of its area; every read is audited.
  'household.read_personal': { roles: ['cadre', 'coordinator'], scope: householdScope },
  // Visits are logged by the household's own cadre.
  'visit.log': { roles: ['cadre'], scope: (actor, resource) => resource.kind === 'household' && resource.cadreUserId === actor.userId },
};

/** Whether the role may ever do the action (the coarse check routes make before any lookup). */
export function roleMay(role: Role, action: Action): boolean {
  return POLICY[action].roles.includes(role);
}

/**
 * Whether `actor` may do `action` to `resource`. Without a resource only the
 * role is checked (lists are then filtered by scope in the query).
 */
export function isAllowed(actor: Actor, action: Action, resource?: Resource): boolean {
  const rule = POLICY[action];
  if (!rule.roles.includes(actor.role)) return false;
  return resource === undefined || rule.scope(actor, resource);
}

/** Throws `forbidden` unless allowed; the message names the action, never the data. */
export function assertAllowed(actor: Actor, action: Action, resource?: Resource): void {
  if (!isAllowed(actor, action, resource)) {
    throw new AppError('forbidden', `Your role (${actor.role}) may not ${action} here`, { action });
  }
}
