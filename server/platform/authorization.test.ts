import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ROLES,
  STAFF_ROLES,
  assertAllowed,
  isAllowed,
  roleMay,
  type Action,
  type Actor,
  type Resource,
  type Role,
} from './authorization.ts';
import { AppError } from './errors.ts';

/**
 * The policy table, decision by decision. City 1 has districts east (2) and
 * west (3); east has street 4 and community 5; west has street 6. Department
 * 10 (housing) and 11 (transport) are city-wide, 12 belongs to east.
 */

/** Which roles may ever do each action; `Record<Action, …>` makes a new action fail to compile until it is listed. */
const ROLES_OF: Record<Action, readonly Role[]> = {
  'region.manage': ['admin'],
  'department.read': ['handler', 'coordinator', 'cadre', 'auditor', 'admin'],
  'department.manage': ['admin'],
  'user.read': ['handler', 'coordinator', 'auditor', 'admin'],
  'user.read_personal': ['admin'],
  'user.manage': ['admin'],
  'user.reset_password': ['admin'],
  'import.run': ['admin'],
  'audit.read': ['auditor', 'admin'],
  'token.manage_own': ROLES,
  'case.read': ['citizen', 'handler', 'coordinator', 'auditor', 'admin'],
  'case.read_personal': ['handler', 'coordinator'],
  'case.act': ['citizen', 'handler', 'coordinator'],
  'case.triage': ['coordinator'],
  'case.export': ['handler', 'coordinator', 'auditor', 'admin'],
  'routing.manage': ['coordinator', 'admin'],
  'notification.read_own': ['citizen', 'handler', 'coordinator', 'cadre', 'auditor', 'admin'],
  'webhook.manage': ['coordinator', 'admin'],
  'delivery.manage': ['coordinator', 'admin'],
  'plan.read': ['handler', 'coordinator', 'auditor', 'admin'],
  'plan.manage': ['handler', 'coordinator'],
  'reply_template.read': ['handler', 'coordinator', 'admin'],
  'reply_template.manage': ['handler', 'coordinator', 'admin'],
  'reply_template.use': ['handler', 'coordinator'],
  'reply_quality.read': ['handler', 'coordinator', 'auditor', 'admin'],
  'join_proposal.read': ['coordinator', 'admin'],
  'join_proposal.decide': ['coordinator'],
  'category_labels.export': ['admin'],
  'hot_issue.read': ['coordinator', 'admin'],
  'pairing.read': ['coordinator', 'cadre', 'admin'],
  'pairing.manage': ['coordinator', 'admin'],
  'household.read_personal': ['coordinator', 'cadre'],
  'visit.log': ['cadre'],
  'project.read': ['handler', 'coordinator', 'auditor', 'admin'],
  'project.manage': ['coordinator', 'admin'],
  'project.progress': ['handler', 'coordinator', 'admin'],
  'finding.read': ['handler', 'coordinator', 'auditor', 'admin'],
  'finding.manage': ['auditor'],
  'rectification.update': ['handler', 'coordinator', 'auditor'],
  'procurement.read': ['handler', 'coordinator', 'auditor', 'admin'],
  'procurement.import': ['coordinator', 'admin'],
  'indicator_settings.manage': ['auditor'],
};

describe('roleMay: the coarse check routes make before any lookup', () => {
  for (const [action, allowed] of Object.entries(ROLES_OF) as [Action, readonly Role[]][]) {
    test(action, () => {
      for (const role of ROLES) assert.equal(roleMay(role, action), allowed.includes(role), `${role} × ${action}`);
    });
  }

  test('citizens may only manage their own tokens and read and act on their own cases; staff roles are everyone else', () => {
    const citizenActions = (Object.keys(ROLES_OF) as Action[]).filter((action) => roleMay('citizen', action));
    assert.deepEqual(citizenActions, ['token.manage_own', 'case.read', 'case.act', 'notification.read_own']);
    assert.deepEqual([...STAFF_ROLES].sort(), ROLES.filter((role) => role !== 'citizen').sort());
  });
});

let nextUserId = 100;
const actor = (role: Role, scopePath: string, departmentId: number | null = null): Actor => ({
  regionId: 1,
  userId: nextUserId++,
  username: `${role}-${scopePath}`,
  role,
  departmentId,
  scopePath,
  via: 'session',
});

const CITY = '/1/';
const EAST = '/1/2/';
const EAST_STREET = '/1/2/4/';
const EAST_COMMUNITY = '/1/2/4/5/';
const WEST = '/1/3/';
const WEST_STREET = '/1/3/6/';

const admin = actor('admin', CITY);
const eastAdmin = actor('admin', EAST);
const coordinator = actor('coordinator', CITY);
const eastCoordinator = actor('coordinator', EAST);
const housingHandler = actor('handler', CITY, 10);
const eastHandler = actor('handler', EAST, 12);
const auditor = actor('auditor', CITY);
const eastAuditor = actor('auditor', EAST);
const cadre = actor('cadre', EAST_COMMUNITY);
const citizen = actor('citizen', CITY);

const city: Resource = { kind: 'city' };
const region = (path: string): Resource => ({ kind: 'region', path });
const department = (id: number, path: string): Resource => ({ kind: 'department', id, path });
const user = (path: string, options: { role?: Role; departmentId?: number | null; id?: number } = {}): Resource => ({
  kind: 'user',
  id: options.id ?? 999,
  role: options.role ?? 'handler',
  departmentId: options.departmentId ?? null,
  path,
});
const self = (who: Actor): Resource =>
  user(who.scopePath, { id: who.userId, role: who.role, departmentId: who.departmentId });

type Case = [string, Actor, Action, Resource, boolean];

const CASES: Record<string, Case[]> = {
  'a district admin manages inside the district only, never the district itself': [
    ['adds a street in east', eastAdmin, 'region.manage', region(`${EAST}new/`), true],
    ['changes a community in east', eastAdmin, 'region.manage', region(EAST_COMMUNITY), true],
    ['changes the east district itself', eastAdmin, 'region.manage', region(EAST), false],
    ['adds a street in west', eastAdmin, 'region.manage', region(`${WEST}new/`), false],
    ['changes the city', eastAdmin, 'region.manage', city, false],
    [
      'changes district /1/23/, whose path merely starts like east',
      eastAdmin,
      'region.manage',
      region('/1/23/'),
      false,
    ],
    ['creates an east department', eastAdmin, 'department.manage', department(0, EAST), true],
    ['creates a city-wide department', eastAdmin, 'department.manage', department(0, CITY), false],
    ['changes a west department', eastAdmin, 'department.manage', department(13, WEST), false],
    ['creates a handler in east', eastAdmin, 'user.manage', user(EAST, { departmentId: 12 }), true],
    ['creates an admin in east', eastAdmin, 'user.manage', user(EAST, { role: 'admin' }), false],
    ['changes a west user', eastAdmin, 'user.manage', user(WEST_STREET), false],
    ['reads an east user’s contact details', eastAdmin, 'user.read_personal', user(EAST_STREET), true],
    ['reads a west user’s contact details', eastAdmin, 'user.read_personal', user(WEST), false],
    ['resets an east user’s password', eastAdmin, 'user.reset_password', user(EAST_COMMUNITY), true],
    ['imports', eastAdmin, 'import.run', city, false],
    ['reads the audit log', eastAdmin, 'audit.read', city, false],
  ],
  'a city-wide admin manages everything in the city': [
    ['changes a district', admin, 'region.manage', region(EAST), true],
    ['adds a district', admin, 'region.manage', region(`${CITY}new/`), true],
    ['creates a city-wide department', admin, 'department.manage', department(0, CITY), true],
    ['creates an admin', admin, 'user.manage', user(CITY, { role: 'admin' }), true],
    ['changes a district admin', admin, 'user.manage', user(EAST, { role: 'admin' }), true],
    ['reads contact details', admin, 'user.read_personal', user(WEST_STREET), true],
    ['imports', admin, 'import.run', city, true],
    ['reads the audit log', admin, 'audit.read', city, true],
  ],
  'a handler sees their own department and themselves': [
    ['reads a colleague', housingHandler, 'user.read', user(CITY, { departmentId: 10 }), true],
    ['reads another department’s handler', housingHandler, 'user.read', user(CITY, { departmentId: 11 }), false],
    ['reads a user with no department', housingHandler, 'user.read', user(CITY), false],
    ['reads themselves', housingHandler, 'user.read', self(housingHandler), true],
    ['lists (the query then filters)', housingHandler, 'user.read', city, true],
    ['in a district department reads a colleague', eastHandler, 'user.read', user(EAST, { departmentId: 12 }), true],
    [
      'in a district department reads a city-wide handler of the parent department',
      eastHandler,
      'user.read',
      user(CITY, { departmentId: 10 }),
      false,
    ],
    ['reads contact details', housingHandler, 'user.read_personal', user(CITY, { departmentId: 10 }), false],
    ['reads departments', housingHandler, 'department.read', department(11, CITY), true],
  ],
  'coordinators and auditors read users within their region scope': [
    [
      'east coordinator reads an east cadre',
      eastCoordinator,
      'user.read',
      user(EAST_COMMUNITY, { role: 'cadre' }),
      true,
    ],
    ['east coordinator reads a west user', eastCoordinator, 'user.read', user(WEST), false],
    ['east coordinator reads a city-wide user', eastCoordinator, 'user.read', user(CITY), false],
    ['city coordinator reads a west user', coordinator, 'user.read', user(WEST_STREET), true],
    ['city auditor reads the audit log', auditor, 'audit.read', city, true],
    ['district auditor reads the audit log', eastAuditor, 'audit.read', city, false],
    ['district auditor reads an east user', eastAuditor, 'user.read', user(EAST), true],
  ],
  'self access': [
    ['an admin resets their own password through the admin path', admin, 'user.reset_password', self(admin), false],
    ['an admin resets someone else’s password', admin, 'user.reset_password', user(CITY), true],
    ['a coordinator reads themselves', eastCoordinator, 'user.read', self(eastCoordinator), true],
    ['a cadre manages their own tokens', cadre, 'token.manage_own', self(cadre), true],
    ['a citizen manages their own tokens', citizen, 'token.manage_own', self(citizen), true],
    ['a citizen reads themselves as a user record', citizen, 'user.read', self(citizen), false],
  ],
};

describe('isAllowed with a resource: role and scope together', () => {
  for (const [group, cases] of Object.entries(CASES)) {
    test(group, () => {
      for (const [label, who, action, resource, expected] of cases) {
        assert.equal(isAllowed(who, action, resource), expected, `${who.username}: ${label} (${action})`);
        if (!roleMay(who.role, action))
          assert.equal(expected, false, `${label}: a refused role is never let in by scope`);
      }
    });
  }
});

describe('isAllowed without a resource checks the role only', () => {
  test('so a service must pass the resource for scope rules to apply', () => {
    assert.equal(isAllowed(eastAdmin, 'import.run'), true);
    assert.equal(isAllowed(eastAdmin, 'import.run', city), false);
    assert.equal(isAllowed(eastAuditor, 'audit.read'), true);
    assert.equal(isAllowed(eastAuditor, 'audit.read', city), false);
    assert.equal(isAllowed(cadre, 'user.read'), false);
  });
});

test('assertAllowed throws forbidden naming the action, never the data', () => {
  assert.doesNotThrow(() => assertAllowed(admin, 'import.run', city));
  assert.throws(
    () => assertAllowed(eastAdmin, 'user.read_personal', user(WEST_STREET, { id: 4242 })),
    (error: unknown) =>
      error instanceof AppError &&
      error.code === 'forbidden' &&
      error.message.includes('user.read_personal') &&
      !error.message.includes('4242') &&
      !error.message.includes(WEST_STREET) &&
      (error.details as { action: string }).action === 'user.read_personal',
  );
});

describe('cases: handlers by department, citizens by requester, the rest by region', () => {
  const eastCase = (departmentId: number | null, coHandlerIds: number[] = [], requesterUserIds: number[] = [], path = EAST): Resource => ({
    kind: 'case',
    id: 1,
    path,
    departmentId,
    coHandlerIds,
    requesterUserIds,
  });

  test("a handler reads and acts on their department's cases, lead or co-handling, and no other", () => {
    assert.ok(isAllowed(housingHandler, 'case.read', eastCase(10)));
    assert.ok(isAllowed(housingHandler, 'case.act', eastCase(11, [10])));
    assert.ok(!isAllowed(housingHandler, 'case.read', eastCase(11)));
    assert.ok(!isAllowed(housingHandler, 'case.act', eastCase(null)));
  });

  test("only the lead department's handlers and coordinators in scope see the requester's contact", () => {
    assert.ok(isAllowed(housingHandler, 'case.read_personal', eastCase(10)));
    assert.ok(!isAllowed(housingHandler, 'case.read_personal', eastCase(11, [10])));
    assert.ok(isAllowed(eastCoordinator, 'case.read_personal', eastCase(10)));
    assert.ok(!isAllowed(admin, 'case.read_personal', eastCase(10)));
    assert.ok(!isAllowed(auditor, 'case.read_personal', eastCase(10)));
  });

  test('coordinators, auditors and admins see the cases inside their region scope', () => {
    assert.ok(isAllowed(eastCoordinator, 'case.act', eastCase(10)));
    assert.ok(!isAllowed(eastCoordinator, 'case.read', eastCase(10, [], [], WEST)));
    assert.ok(isAllowed(eastAuditor, 'case.read', eastCase(10)));
    assert.ok(!isAllowed(eastAuditor, 'case.act', eastCase(10)));
  });

  test('join proposals: coordinators and admins read, coordinators decide, both cases inside their scope', () => {
    assert.ok(isAllowed(eastCoordinator, 'join_proposal.read', eastCase(10)));
    assert.ok(isAllowed(eastCoordinator, 'join_proposal.decide', eastCase(10)));
    assert.ok(!isAllowed(eastCoordinator, 'join_proposal.decide', eastCase(10, [], [], WEST)));
    assert.ok(isAllowed(admin, 'join_proposal.read', eastCase(10)));
    assert.ok(!isAllowed(admin, 'join_proposal.decide', eastCase(10)), 'merging is a coordinator’s act');
    assert.ok(!isAllowed(housingHandler, 'join_proposal.read', eastCase(10)), 'a handler never sees proposals, even on their own cases');
  });

  test('a citizen reads only the cases they raised', () => {
    assert.ok(isAllowed(citizen, 'case.read', eastCase(10, [], [citizen.userId])));
    assert.ok(!isAllowed(citizen, 'case.read', eastCase(10, [], [citizen.userId + 1])));
  });

  test('routing rules: coordinators and admins, inside their scope', () => {
    assert.ok(isAllowed(coordinator, 'routing.manage', city));
    assert.ok(isAllowed(eastCoordinator, 'routing.manage', region(EAST)));
    assert.ok(isAllowed(coordinator, 'webhook.manage', city));
    assert.ok(!isAllowed(eastCoordinator, 'webhook.manage', city), 'webhooks see the whole city: city-wide staff only');
    assert.ok(isAllowed(coordinator, 'delivery.manage', city));
    assert.ok(!isAllowed(eastCoordinator, 'delivery.manage', city), 'deliveries span the whole city: city-wide staff only');
    assert.ok(isAllowed(admin, 'category_labels.export', city));
    assert.ok(!isAllowed(eastAdmin, 'category_labels.export', city), 'training data holds every district’s messages: city-wide admins only');
    assert.ok(!isAllowed(coordinator, 'category_labels.export', city));
    assert.ok(!isAllowed(eastCoordinator, 'routing.manage', city));
    assert.ok(!isAllowed(housingHandler, 'routing.manage', city));
  });

  test('work plans: the department’s own handlers, and coordinators whose scope covers the department', () => {
    const housing = { kind: 'department' as const, id: 10, path: CITY };
    const eastHousing = { kind: 'department' as const, id: 12, path: EAST };
    assert.ok(isAllowed(housingHandler, 'plan.manage', housing));
    assert.ok(!isAllowed(housingHandler, 'plan.manage', eastHousing));
    assert.ok(isAllowed(eastHandler, 'plan.manage', eastHousing));
    assert.ok(isAllowed(coordinator, 'plan.manage', eastHousing));
    assert.ok(isAllowed(eastCoordinator, 'plan.manage', eastHousing));
    assert.ok(!isAllowed(eastCoordinator, 'plan.manage', housing), 'a district coordinator does not manage a city bureau');
    assert.ok(isAllowed(eastAuditor, 'plan.read', eastHousing));
    assert.ok(!isAllowed(eastAuditor, 'plan.manage', eastHousing));
  });

  test('reply templates: the city’s by city-wide coordinators and admins, a department’s by its handlers and coordinators in scope', () => {
    const housing = department(10, CITY);
    const eastHousing = department(12, EAST);
    assert.ok(isAllowed(coordinator, 'reply_template.manage', city));
    assert.ok(isAllowed(admin, 'reply_template.manage', city));
    assert.ok(!isAllowed(eastCoordinator, 'reply_template.manage', city), 'the city’s templates reach every district');
    assert.ok(!isAllowed(housingHandler, 'reply_template.manage', city));
    assert.ok(isAllowed(housingHandler, 'reply_template.read', city));
    assert.ok(isAllowed(housingHandler, 'reply_template.manage', housing));
    assert.ok(!isAllowed(housingHandler, 'reply_template.read', eastHousing), 'another department’s templates are private to it');
    assert.ok(isAllowed(eastCoordinator, 'reply_template.manage', eastHousing));
    assert.ok(!isAllowed(eastCoordinator, 'reply_template.manage', housing));
    const housingCase: Resource = { kind: 'case', id: 1, path: EAST, departmentId: 10, coHandlerIds: [12], requesterUserIds: [] };
    assert.ok(isAllowed(housingHandler, 'reply_template.use', housingCase));
    assert.ok(!isAllowed(eastHandler, 'reply_template.use', housingCase), 'co-handlers do not write the reply');
    assert.ok(isAllowed(eastCoordinator, 'reply_template.use', housingCase));
    assert.ok(!isAllowed(admin, 'reply_template.use', housingCase));
  });

  test('reply quality scores: staff who read the case, never its citizen', () => {
    const housingCase: Resource = { kind: 'case', id: 1, path: EAST, departmentId: 10, coHandlerIds: [12], requesterUserIds: [7] };
    assert.ok(isAllowed(housingHandler, 'reply_quality.read', housingCase));
    assert.ok(isAllowed(eastHandler, 'reply_quality.read', housingCase), 'co-handlers read the case, and its scores');
    assert.ok(isAllowed(eastCoordinator, 'reply_quality.read', housingCase));
    const requester: Actor = { ...actor('citizen', CITY), userId: 7 };
    assert.ok(isAllowed(requester, 'case.read', housingCase));
    assert.ok(!isAllowed(requester, 'reply_quality.read', housingCase));
  });

  test('households: a cadre only their own, coordinators and admins their area, contact for cadre and coordinators only', () => {
    const ownHousehold: Resource = { kind: 'household', id: 1, path: EAST_COMMUNITY, cadreUserId: cadre.userId };
    const othersHousehold: Resource = { kind: 'household', id: 2, path: EAST_COMMUNITY, cadreUserId: cadre.userId + 1000 };
    const westHousehold: Resource = { kind: 'household', id: 3, path: `${WEST_STREET}7/`, cadreUserId: null };
    assert.ok(isAllowed(cadre, 'pairing.read', ownHousehold));
    assert.ok(isAllowed(cadre, 'household.read_personal', ownHousehold));
    assert.ok(isAllowed(cadre, 'visit.log', ownHousehold));
    assert.ok(!isAllowed(cadre, 'pairing.read', othersHousehold), 'another cadre’s household, even in the same community');
    assert.ok(!isAllowed(cadre, 'visit.log', othersHousehold));
    assert.ok(isAllowed(eastCoordinator, 'pairing.read', othersHousehold));
    assert.ok(isAllowed(eastCoordinator, 'household.read_personal', othersHousehold));
    assert.ok(!isAllowed(eastCoordinator, 'pairing.read', westHousehold), 'another district');
    assert.ok(!isAllowed(eastCoordinator, 'visit.log', othersHousehold));
    assert.ok(isAllowed(admin, 'pairing.read', westHousehold));
    assert.ok(!isAllowed(admin, 'household.read_personal', westHousehold), 'admins run the registry, not the households’ private notes');
    assert.ok(!isAllowed(eastAdmin, 'pairing.manage', city));
    assert.ok(isAllowed(coordinator, 'pairing.manage', city));
  });

  test('projects: handlers of the lead department report progress, co-units only read, auditors read all and manage findings', () => {
    const project: Resource = { kind: 'project', id: 1, path: EAST, departmentId: 10, coDepartmentIds: [12] };
    const westProject: Resource = { kind: 'project', id: 2, path: WEST, departmentId: 11, coDepartmentIds: [] };
    assert.ok(isAllowed(housingHandler, 'project.progress', project));
    assert.ok(isAllowed(eastHandler, 'project.read', project), 'a co-unit reads the project');
    assert.ok(!isAllowed(eastHandler, 'project.progress', project), 'a co-unit does not report for the lead');
    assert.ok(!isAllowed(housingHandler, 'project.read', westProject), 'another department’s project is out of reach');
    assert.ok(!isAllowed(housingHandler, 'project.progress', westProject));
    assert.ok(isAllowed(eastCoordinator, 'project.manage', project));
    assert.ok(!isAllowed(eastCoordinator, 'project.manage', westProject));
    assert.ok(isAllowed(auditor, 'project.read', westProject));
    assert.ok(!isAllowed(auditor, 'project.manage', westProject));
    assert.ok(isAllowed(auditor, 'finding.manage', city));
    assert.ok(!isAllowed(eastAuditor, 'finding.manage', city), 'findings are city-wide work');
    assert.ok(isAllowed(housingHandler, 'rectification.update', department(10, CITY)));
    assert.ok(!isAllowed(housingHandler, 'rectification.update', department(12, EAST)));
    assert.ok(isAllowed(auditor, 'indicator_settings.manage', city));
    assert.ok(!isAllowed(coordinator, 'indicator_settings.manage', city));
  });
});
