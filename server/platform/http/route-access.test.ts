import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildVoicesTestApp, loginAs, type TestSession, type TestUsername } from '../../../test/factories.ts';
import { tinyPng } from '../../../test/images.ts';
import { ROLES, type Role } from '../authorization.ts';

/**
 * Every route × every role, through the real HTTP app: the table says who
 * may call each route; everyone else must get 401 (anonymous) or 403.
 * A route missing from the table, or a table row with no route, fails the test.
 */
type Who = 'public' | 'authenticated' | readonly Role[];
interface Ids {
  regionId: number;
  districtId: number;
  departmentId: number;
  bystanderId: number;
  self: number;
  /** A citizen's case, routed to housing. */
  caseId: number;
  trackingCode: string;
}
interface Row {
  who: Who;
  request: (ids: Ids) => { url: string; payload?: unknown; headers?: Record<string, string> };
}

const STAFF = ['handler', 'coordinator', 'cadre', 'auditor', 'admin'] as const;

const ROUTES: Record<string, Row> = {
  'POST /api/v1/session': { who: 'public', request: () => ({ url: '/api/v1/session', payload: { username: 'nobody', password: 'wrong-password' } }) },
  'GET /api/v1/session': { who: 'authenticated', request: () => ({ url: '/api/v1/session' }) },
  'POST /api/v1/citizens': { who: 'public', request: () => ({ url: '/api/v1/citizens', payload: { username: 'x' } }) },
  'PUT /api/v1/me/password': { who: 'authenticated', request: () => ({ url: '/api/v1/me/password', payload: { currentPassword: 'wrong-password', newPassword: 'Another-password-1' } }) },
  'GET /api/v1/me/tokens': { who: ROLES, request: () => ({ url: '/api/v1/me/tokens' }) },
  'POST /api/v1/me/tokens': { who: ROLES, request: () => ({ url: '/api/v1/me/tokens', payload: { name: 'route test' } }) },
  'DELETE /api/v1/me/tokens/:id': { who: ROLES, request: () => ({ url: '/api/v1/me/tokens/999999' }) },
  'GET /api/v1/regions': { who: 'public', request: () => ({ url: '/api/v1/regions' }) },
  'GET /api/v1/regions/:id': { who: 'public', request: (ids) => ({ url: `/api/v1/regions/${ids.districtId}` }) },
  'POST /api/v1/regions': { who: ['admin'], request: (ids) => ({ url: '/api/v1/regions', payload: { parentId: ids.districtId, code: `s-${Math.random().toString(36).slice(2, 8)}`, name: '新街道' } }) },
  'PATCH /api/v1/regions/:id': { who: ['admin'], request: (ids) => ({ url: `/api/v1/regions/${ids.districtId}`, payload: { version: 999, name: '东区' } }) },
  'GET /api/v1/departments': { who: STAFF, request: () => ({ url: '/api/v1/departments' }) },
  'GET /api/v1/departments/:id': { who: STAFF, request: (ids) => ({ url: `/api/v1/departments/${ids.departmentId}` }) },
  'POST /api/v1/departments': { who: ['admin'], request: () => ({ url: '/api/v1/departments', payload: { code: `d-${Math.random().toString(36).slice(2, 8)}`, name: '新部门' } }) },
  'PATCH /api/v1/departments/:id': { who: ['admin'], request: (ids) => ({ url: `/api/v1/departments/${ids.departmentId}`, payload: { version: 999 } }) },
  'GET /api/v1/users': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/users' }) },
  'GET /api/v1/users/:id': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: (ids) => ({ url: `/api/v1/users/${ids.self}` }) },
  'POST /api/v1/users': { who: ['admin'], request: () => ({ url: '/api/v1/users', payload: { username: 'route-test', displayName: '新人', role: 'handler', password: 'Long-enough-1' } }) },
  'PATCH /api/v1/users/:id': { who: ['admin'], request: (ids) => ({ url: `/api/v1/users/${ids.bystanderId}`, payload: { version: 999 } }) },
  'POST /api/v1/users/:id/password-reset': { who: ['admin'], request: (ids) => ({ url: `/api/v1/users/${ids.bystanderId}/password-reset`, payload: { newPassword: 'Temporary-pass-1' } }) },
  'POST /api/v1/imports/:kind': { who: ['admin'], request: () => ({ url: '/api/v1/imports/departments', payload: 'code,name\n', headers: { 'content-type': 'text/csv' } }) },
  'GET /api/v1/audit': { who: ['auditor', 'admin'], request: () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/audit/verify': { who: ['auditor', 'admin'], request: () => ({ url: '/api/v1/audit/verify' }) },
  'POST /api/v1/messages': { who: 'public', request: () => ({ url: '/api/v1/messages', payload: { title: '路灯不亮', description: '小区门口路灯坏了', kind: 'request_for_help' } }) },
  'GET /api/v1/cases': { who: ['citizen', 'handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/cases' }) },
  'GET /api/v1/cases/:id': { who: ['citizen', 'handler', 'coordinator', 'auditor', 'admin'], request: (ids) => ({ url: `/api/v1/cases/${ids.caseId}` }) },
  'GET /api/v1/cases/export.csv': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/cases/export.csv' }) },
  'POST /api/v1/cases/bulk-events': { who: ['citizen', 'handler', 'coordinator'], request: (ids) => ({ url: '/api/v1/cases/bulk-events', payload: { items: [{ caseId: ids.caseId, version: 999 }], event: { type: 'accept_work' } } }) },
  'POST /api/v1/cases/:id/events': { who: ['citizen', 'handler', 'coordinator'], request: (ids) => ({ url: `/api/v1/cases/${ids.caseId}/events`, payload: { version: 999, event: { type: 'accept_work' } } }) },
  'GET /api/v1/track/:code': { who: 'public', request: (ids) => ({ url: `/api/v1/track/${ids.trackingCode}` }) },
  'POST /api/v1/track/:code/rating': { who: 'public', request: (ids) => ({ url: `/api/v1/track/${ids.trackingCode}/rating`, payload: { score: 5, version: 999 } }) },
  'GET /api/v1/categories': { who: 'public', request: () => ({ url: '/api/v1/categories' }) },
  'GET /api/v1/routing-rules': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/routing-rules' }) },
  'POST /api/v1/routing-rules': { who: ['coordinator', 'admin'], request: (ids) => ({ url: '/api/v1/routing-rules', payload: { categoryPathPrefix: '民政', departmentId: ids.departmentId } }) },
  'PUT /api/v1/routing-rules/:id': { who: ['coordinator', 'admin'], request: (ids) => ({ url: '/api/v1/routing-rules/999999', payload: { departmentId: ids.departmentId } }) },
  'DELETE /api/v1/routing-rules/:id': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/routing-rules/999999' }) },
  'GET /api/v1/reply-templates': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/reply-templates' }) },
  'POST /api/v1/reply-templates': { who: ['handler', 'coordinator', 'admin'], request: (ids) => ({ url: '/api/v1/reply-templates', payload: { departmentId: ids.departmentId, title: '住房答复', body: '您反映的{诉求类别}问题已办理。' } }) },
  'PUT /api/v1/reply-templates/:id': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/reply-templates/999999', payload: { title: '新版', body: '正文' } }) },
  'DELETE /api/v1/reply-templates/:id': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/reply-templates/999999' }) },
  'GET /api/v1/notifications': { who: ROLES, request: () => ({ url: '/api/v1/notifications' }) },
  'POST /api/v1/notifications/:id/read': { who: ROLES, request: () => ({ url: '/api/v1/notifications/999999/read' }) },
  'POST /api/v1/notifications/read-all': { who: ROLES, request: () => ({ url: '/api/v1/notifications/read-all' }) },
  'GET /api/v1/track/:code/notifications': { who: 'public', request: (ids) => ({ url: `/api/v1/track/${ids.trackingCode}/notifications` }) },
  'GET /api/v1/webhooks': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/webhooks' }) },
  'POST /api/v1/webhooks': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/webhooks', payload: { url: 'ftp://refused.example' } }) },
  'DELETE /api/v1/webhooks/:id': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/webhooks/999999' }) },
  'GET /api/v1/notification-deliveries': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/notification-deliveries?status=failed' }) },
  'POST /api/v1/notification-deliveries/:id/resend': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/notification-deliveries/999999/resend' }) },
  'POST /api/v1/notification-deliveries/resend-failed': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/notification-deliveries/resend-failed' }) },
  'GET /api/v1/plans': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/plans' }) },
  'POST /api/v1/plans': { who: ['handler', 'coordinator'], request: (ids) => ({ url: '/api/v1/plans', payload: { departmentId: ids.departmentId, title: '2027 年住房工作计划', year: 2027 } }) },
  'GET /api/v1/plans/:id/items': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/plans/999999/items' }) },
  'POST /api/v1/plans/:id/items': { who: ['handler', 'coordinator'], request: () => ({ url: '/api/v1/plans/999999/items', payload: { title: '加装电梯' } }) },
  'PATCH /api/v1/plan-items/:id': { who: ['handler', 'coordinator'], request: () => ({ url: '/api/v1/plan-items/999999', payload: { version: 1, progress: 10 } }) },
  'POST /api/v1/cases/:id/adopt': { who: ['handler', 'coordinator'], request: (ids) => ({ url: `/api/v1/cases/${ids.caseId}/adopt`, payload: { planItemId: 999999 } }) },
  'GET /api/v1/cases/:id/plan-items': { who: ['citizen', 'handler', 'coordinator', 'auditor', 'admin'], request: (ids) => ({ url: `/api/v1/cases/${ids.caseId}/plan-items` }) },
  'GET /api/v1/track/:code/plan-items': { who: 'public', request: (ids) => ({ url: `/api/v1/track/${ids.trackingCode}/plan-items` }) },
  'POST /api/v1/attachments': { who: 'public', request: () => ({ url: '/api/v1/attachments', payload: tinyPng(), headers: { 'content-type': 'image/png' } }) },
  'GET /api/v1/cases/:id/photos/:photoId': { who: ['citizen', 'handler', 'coordinator', 'auditor', 'admin'], request: (ids) => ({ url: `/api/v1/cases/${ids.caseId}/photos/999999` }) },
  'GET /api/v1/track/:code/photos/:photoId': { who: 'public', request: (ids) => ({ url: `/api/v1/track/${ids.trackingCode}/photos/999999` }) },
  'GET /api/v1/join-proposals': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/join-proposals' }) },
  'POST /api/v1/join-proposals/:id/confirm': { who: ['coordinator'], request: () => ({ url: '/api/v1/join-proposals/999999/confirm', payload: {} }) },
  'POST /api/v1/join-proposals/:id/reject': { who: ['coordinator'], request: () => ({ url: '/api/v1/join-proposals/999999/reject', payload: { note: '不是同一件事' } }) },
  'GET /api/v1/hot-issues': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/hot-issues?days=30&top=5' }) },
  'POST /api/v1/pairing/imports/:kind': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/imports/cadres', payload: 'code,name,district_code,capacity\n', headers: { 'content-type': 'text/csv' } }) },
  'GET /api/v1/pairing/cadres': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/cadres' }) },
  'POST /api/v1/pairing/cadres': { who: ['coordinator', 'admin'], request: (ids) => ({ url: '/api/v1/pairing/cadres', payload: { code: 'ACCESS-1', name: '测试干部', districtId: ids.districtId, location: { x: 0, y: 0 }, capacity: 1 } }) },
  'PATCH /api/v1/pairing/cadres/:id': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/cadres/999999', payload: { version: 1, capacity: 2 } }) },
  'POST /api/v1/pairing/households': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/households', payload: { code: 'ACCESS-H1', communityId: 999999, location: { x: 0, y: 0 } } }) },
  'PATCH /api/v1/pairing/households/:id': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/households/999999', payload: { version: 1, members: 2 } }) },
  'GET /api/v1/pairing/households': { who: ['coordinator', 'cadre', 'admin'], request: () => ({ url: '/api/v1/pairing/households' }) },
  'GET /api/v1/pairing/households/:id': { who: ['coordinator', 'cadre', 'admin'], request: () => ({ url: '/api/v1/pairing/households/999999' }) },
  'POST /api/v1/pairing/households/:id/visits': { who: ['cadre'], request: () => ({ url: '/api/v1/pairing/households/999999/visits', payload: { visitedOn: '2026-01-05', durationMinutes: 30, met: '户主', situation: '身体尚可' } }) },
  'GET /api/v1/pairing/runs': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/runs' }) },
  'POST /api/v1/pairing/runs': { who: ['coordinator', 'admin'], request: (ids) => ({ url: '/api/v1/pairing/runs', payload: { scenario: 'full', districtId: ids.districtId } }) },
  'GET /api/v1/pairing/runs/:id': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/runs/999999' }) },
  'POST /api/v1/pairing/runs/:id/approve': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/runs/999999/approve' }) },
  'POST /api/v1/pairing/runs/:id/reject': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/runs/999999/reject' }) },
  'GET /api/v1/pairing/coverage': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/pairing/coverage' }) },
  'GET /api/v1/pairing/statistics': { who: 'public', request: () => ({ url: '/api/v1/pairing/statistics' }) },
  'GET /api/v1/projects': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/projects' }) },
  'POST /api/v1/projects': { who: ['coordinator', 'admin'], request: (ids) => ({ url: '/api/v1/projects', payload: { code: `ra-${Math.random().toString(36).slice(2, 8)}`, name: '路灯改造', category: 'transport', leadDepartmentId: ids.departmentId, year: 2027 } }) },
  'GET /api/v1/projects/:id': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/projects/999999' }) },
  'PATCH /api/v1/projects/:id': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999', payload: { version: 1, progress: 10 } }) },
  'POST /api/v1/projects/:id/budget-lines': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/budget-lines', payload: { fundingSource: 'municipal', description: '市级', year: 2027, amount: 100 } }) },
  'POST /api/v1/projects/:id/payments': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/payments', payload: { paidOn: '2027-01-01', amount: 100, payee: '某公司' } }) },
  'POST /api/v1/projects/:id/milestones': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/milestones', payload: { title: '开工', plannedDate: '2027-01-01' } }) },
  'PATCH /api/v1/project-milestones/:id': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/project-milestones/999999', payload: { version: 1, status: 'pending' } }) },
  'POST /api/v1/projects/:id/updates': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/updates', payload: { progress: 10, note: '进场' } }) },
  'POST /api/v1/projects/:id/links': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/links', payload: { planItemId: 999999 } }) },
  'DELETE /api/v1/projects/:id/links/cases/:caseId': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/links/cases/999999' }) },
  'DELETE /api/v1/projects/:id/links/plan-items/:planItemId': { who: ['handler', 'coordinator', 'admin'], request: () => ({ url: '/api/v1/projects/999999/links/plan-items/999999' }) },
  'GET /api/v1/public/projects': { who: 'public', request: () => ({ url: '/api/v1/public/projects' }) },
  'GET /api/v1/public/projects/:id': { who: 'public', request: () => ({ url: '/api/v1/public/projects/999999' }) },
  'GET /api/v1/findings': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/findings' }) },
  'POST /api/v1/findings': { who: ['auditor'], request: () => ({ url: '/api/v1/findings', payload: { type: 'audit', title: '审计发现', foundOn: '2027-01-01' } }) },
  'PATCH /api/v1/findings/:id': { who: ['auditor'], request: () => ({ url: '/api/v1/findings/999999', payload: { version: 1, status: 'closed' } }) },
  'POST /api/v1/findings/:id/rectifications': { who: ['auditor'], request: (ids) => ({ url: '/api/v1/findings/999999/rectifications', payload: { description: '整改', ownerDepartmentId: ids.departmentId, dueDate: '2027-02-01' } }) },
  'GET /api/v1/rectifications': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/rectifications' }) },
  'PATCH /api/v1/rectifications/:id': { who: ['handler', 'coordinator', 'auditor'], request: () => ({ url: '/api/v1/rectifications/999999', payload: { version: 1, evidence: '已整改' } }) },
  'POST /api/v1/procurement/imports': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/procurement/imports?name=route-test', payload: '{"releases":[]}', headers: { 'content-type': 'application/json' } }) },
  'GET /api/v1/procurement': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/procurement' }) },
  'GET /api/v1/procurement/flag-leaders': { who: ['coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/procurement/flag-leaders' }) },
  'GET /api/v1/procurement/processes/:ocid': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/procurement/processes/ocds-none-1' }) },
  'PUT /api/v1/procurement/processes/:ocid/project': { who: ['coordinator', 'admin'], request: () => ({ url: '/api/v1/procurement/processes/ocds-none-1/project', payload: { projectId: null } }) },
  'GET /api/v1/projects/:id/ocds': { who: ['handler', 'coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/projects/999999/ocds' }) },
  'GET /api/v1/indicator-settings': { who: ['coordinator', 'auditor', 'admin'], request: () => ({ url: '/api/v1/indicator-settings' }) },
  'POST /api/v1/indicator-settings': { who: ['auditor'], request: () => ({ url: '/api/v1/indicator-settings', payload: { settings: '[R018]\n', note: 'route test' } }) },
  // Last, because it ends the session the other rows use.
  'DELETE /api/v1/session': { who: 'authenticated', request: () => ({ url: '/api/v1/session' }) },
};

const AS: Record<Role, TestUsername> = {
  citizen: 'citizen',
  handler: 'handler-housing',
  coordinator: 'coordinator',
  cadre: 'cadre',
  auditor: 'auditor',
  admin: 'admin',
};

let app: FastifyInstance;
let ids: Ids;
const sessions = new Map<Role, TestSession>();

before(async () => {
  const built = await buildVoicesTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
  app = built.app;
  for (const role of ROLES) sessions.set(role, await loginAs(app, AS[role]));
  const admin = sessions.get('admin')!;
  const get = async (url: string) => (await app.inject({ url, headers: admin.headers })).json();
  const east = (await get('/api/v1/regions?q=east&level=district')).items[0];
  const housing = (await get('/api/v1/departments?q=housing')).items[0];
  const bystander = (await get('/api/v1/users?q=handler-transport')).items[0];
  const citizen = sessions.get('citizen')!;
  const submitted = await app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: citizen.headers,
    payload: { title: '楼道漏水', description: '楼道天花板漏水', kind: 'complaint', categoryPath: '城乡建设/城乡规划/违章建筑' },
  });
  const receipt = submitted.json<{ caseId: number; trackingCode: string }>();
  ids = { regionId: built.city.regionId, districtId: east.id, departmentId: housing.id, bystanderId: bystander.id, self: 0, caseId: receipt.caseId, trackingCode: receipt.trackingCode };
});

after(() => app.close());

const allows = (who: Who, role: Role | 'anonymous'): boolean =>
  who === 'public' || (role !== 'anonymous' && (who === 'authenticated' || who.includes(role)));

test('the table names every API route and nothing else', async () => {
  await app.ready();
  const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  const documented = Object.entries(paths)
    .filter(([path]) => path.startsWith('/api/'))
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
  assert.deepEqual([...documented].sort(), Object.keys(ROUTES).sort());
});

for (const [route, row] of Object.entries(ROUTES)) {
  test(`${route}: allowed for ${typeof row.who === 'string' ? row.who : row.who.join(', ')}; refused for the rest`, async () => {
    const [method] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'];
    for (const role of ['anonymous', ...ROLES] as const) {
      const session = role === 'anonymous' ? undefined : sessions.get(role)!;
      const request = row.request({ ...ids, self: session?.userId ?? 0 });
      const response = await app.inject({
        method,
        url: request.url,
        headers: { ...session?.headers, ...request.headers },
        ...(request.payload !== undefined && { payload: request.payload as string }),
      });
      const code = response.statusCode >= 400 ? response.json<{ code: string }>().code : 'ok';
      if (allows(row.who, role)) {
        assert.ok(!['unauthenticated', 'forbidden', 'session_expired'].includes(code), `${role} should pass ${route}, got ${response.statusCode} ${code}`);
      } else if (role === 'anonymous') {
        assert.equal(response.statusCode, 401, `anonymous must get 401 from ${route}`);
      } else {
        assert.equal(response.statusCode, 403, `${role} must get 403 from ${route}, got ${response.statusCode} ${response.body}`);
        assert.equal(code, 'forbidden');
      }
    }
  });
}
