import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AuditEntryView, Department, Region, User, UserDetail } from '../../../contracts/platform.ts';
import { assertProblem, buildTestApp, loginAs, type TestSession, type TestUsername } from '../../../test/factories.ts';

/**
 * Regions, departments and users through the real HTTP app: tree listing,
 * levels, optimistic concurrency, duplicates, and the role + scope policy as
 * the people of the test city meet it.
 */

let app: FastifyInstance;
let cityId: number;
const sessions = new Map<TestUsername, TestSession>();
const as = (username: TestUsername): TestSession => sessions.get(username)!;

async function get<T>(url: string, who: TestUsername = 'admin'): Promise<T> {
  const response = await app.inject({ url, headers: as(who).headers });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json<T>();
}

const send = (method: 'POST' | 'PATCH', url: string, who: TestUsername, payload: object) =>
  app.inject({ method, url, headers: as(who).headers, payload });

async function regionByCode(code: string): Promise<Region> {
  const region = (await get<{ items: Region[] }>(`/api/v1/regions?q=${code}&limit=500`)).items.find(
    (item) => item.code === code,
  );
  assert.ok(region, `region ${code}`);
  return region;
}

async function departmentByCode(code: string): Promise<Department> {
  const department = (await get<{ items: Department[] }>(`/api/v1/departments?q=${code}&limit=500`)).items.find(
    (item) => item.code === code,
  );
  assert.ok(department, `department ${code}`);
  return department;
}

async function userByName(username: string): Promise<User> {
  const user = (await get<{ items: User[] }>(`/api/v1/users?q=${username}&limit=500`)).items.find(
    (item) => item.username === username,
  );
  assert.ok(user, `user ${username}`);
  return user;
}

describe('organisation routes', () => {
  before(async () => {
    const built = await buildTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
    app = built.app;
    cityId = built.city.regionId;
    const people: TestUsername[] = [
      'admin',
      'admin-east',
      'coordinator',
      'coordinator-east',
      'handler-housing',
      'handler-transport',
      'auditor',
    ];
    for (const username of people) sessions.set(username, await loginAs(app, username));
  });
  after(() => app.close());

  describe('regions', () => {
    test('the tree lists by parent, level and search, with a total for paging', async () => {
      const districts = await get<{ items: Region[]; total: number }>(`/api/v1/regions?parentId=${cityId}`);
      assert.deepEqual(
        districts.items.map((region) => region.code),
        ['east', 'west'],
      );
      assert.equal(districts.total, 2);
      assert.ok(
        districts.items.every(
          (region) => region.level === 'district' && region.parentId === cityId && region.childCount === 1,
        ),
      );

      const communities = await get<{ items: Region[] }>('/api/v1/regions?level=community');
      assert.deepEqual(
        communities.items.map((region) => region.code),
        ['east-1-a', 'west-1-a'],
      );

      const byName = await get<{ items: Region[] }>(`/api/v1/regions?q=${encodeURIComponent('东一')}`);
      assert.deepEqual(
        byName.items.map((region) => region.code),
        ['east-1', 'east-1-a'],
      );

      const firstPage = await get<{ items: Region[]; total: number; limit: number; offset: number }>(
        '/api/v1/regions?level=district&limit=1',
      );
      const secondPage = await get<{ items: Region[]; total: number; offset: number }>(
        '/api/v1/regions?level=district&limit=1&offset=1',
      );
      assert.equal(firstPage.total, 2);
      assert.equal(secondPage.total, 2);
      assert.deepEqual(
        [...firstPage.items, ...secondPage.items].map((region) => region.code),
        ['east', 'west'],
      );
      assert.equal(firstPage.limit, 1);
      assert.equal(secondPage.offset, 1);

      // The tree is public: an anonymous visitor sees the default city.
      const anonymous = await app.inject({ url: `/api/v1/regions?parentId=${cityId}` });
      assert.equal(anonymous.json<{ total: number }>().total, 2);
    });

    test('a child region is one level below its parent; a community cannot have children', async () => {
      const east = await regionByCode('east');
      const street = await send('POST', '/api/v1/regions', 'admin', {
        parentId: east.id,
        code: 'east-2',
        name: '东二街道',
      });
      assert.equal(street.statusCode, 201, street.body);
      assert.equal(street.json<Region>().level, 'street');
      assert.equal(street.json<Region>().parentId, east.id);

      const community = await send('POST', '/api/v1/regions', 'admin', {
        parentId: street.json<Region>().id,
        code: 'east-2-a',
        name: '东二甲社区',
      });
      assert.equal(community.statusCode, 201, community.body);
      assert.equal(community.json<Region>().level, 'community');

      const before = (await get<{ total: number }>('/api/v1/regions')).total;
      const eastOneA = await regionByCode('east-1-a');
      assertProblem(
        await send('POST', '/api/v1/regions', 'admin', { parentId: eastOneA.id, code: 'too-deep', name: '太深' }),
        422,
        'validation_failed',
      );
      assertProblem(
        await send('POST', '/api/v1/regions', 'admin', { parentId: east.id, code: 'east-1', name: '重复的街道' }),
        409,
        'duplicate',
      );
      assert.equal((await get<{ total: number }>('/api/v1/regions')).total, before);
    });

    test('a district admin adds streets inside their district, but not elsewhere, and not to the district itself', async () => {
      const [east, west] = [await regionByCode('east'), await regionByCode('west')];
      const inside = await send('POST', '/api/v1/regions', 'admin-east', {
        parentId: east.id,
        code: 'east-3',
        name: '东三街道',
      });
      assert.equal(inside.statusCode, 201, inside.body);
      assertProblem(
        await send('POST', '/api/v1/regions', 'admin-east', { parentId: west.id, code: 'west-9', name: '西九街道' }),
        403,
        'forbidden',
      );
      assertProblem(
        await send('PATCH', `/api/v1/regions/${east.id}`, 'admin-east', { version: east.version, name: '新东区' }),
        403,
        'forbidden',
      );
      assert.equal((await regionByCode('east')).name, '东区');
      assert.equal((await get<{ total: number }>('/api/v1/regions?q=west-9')).total, 0);
    });
  });

  describe('departments', () => {
    test('create, list and update with optimistic concurrency: a stale version is a 409 and changes nothing', async () => {
      const created = await send('POST', '/api/v1/departments', 'admin', {
        code: 'water',
        name: '水务局',
        areas: ['供水', '排水', '供水'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const water = created.json<Department>();
      assert.deepEqual(water.areas, ['供水', '排水']);
      assert.equal(water.districtId, null);

      const listed = await get<{ items: Department[] }>(
        `/api/v1/departments?area=${encodeURIComponent('排水')}`,
        'handler-housing',
      );
      assert.deepEqual(
        listed.items.map((department) => department.code),
        ['water'],
      );

      const updated = await send('PATCH', `/api/v1/departments/${water.id}`, 'admin', {
        version: water.version,
        name: '市水务局',
      });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.equal(updated.json<Department>().version, water.version + 1);

      const stale = await send('PATCH', `/api/v1/departments/${water.id}`, 'admin', {
        version: water.version,
        name: '过时的名字',
        address: '某路1号',
      });
      assertProblem(stale, 409, 'version_conflict');
      const now = await get<Department>(`/api/v1/departments/${water.id}`);
      assert.deepEqual(now, updated.json<Department>());
    });

    test('a second department with the same code is a 409 duplicate', async () => {
      const before = (await get<{ total: number }>('/api/v1/departments')).total;
      assertProblem(
        await send('POST', '/api/v1/departments', 'admin', { code: 'housing', name: '又一个住建局' }),
        409,
        'duplicate',
      );
      assert.equal((await get<{ total: number }>('/api/v1/departments')).total, before);
    });

    test('a district admin creates departments in their district only', async () => {
      const [east, west] = [await regionByCode('east'), await regionByCode('west')];
      const inside = await send('POST', '/api/v1/departments', 'admin-east', {
        code: 'east-water',
        name: '东区水务局',
        districtId: east.id,
      });
      assert.equal(inside.statusCode, 201, inside.body);
      assert.equal(inside.json<Department>().districtName, '东区');
      assertProblem(
        await send('POST', '/api/v1/departments', 'admin-east', { code: 'city-water', name: '全市水务' }),
        403,
        'forbidden',
      );
      assertProblem(
        await send('POST', '/api/v1/departments', 'admin-east', {
          code: 'west-water',
          name: '西区水务局',
          districtId: west.id,
        }),
        403,
        'forbidden',
      );
      const housing = await departmentByCode('housing');
      assertProblem(
        await send('PATCH', `/api/v1/departments/${housing.id}`, 'admin-east', {
          version: housing.version,
          name: '改名',
        }),
        403,
        'forbidden',
      );
      assert.equal((await get<{ total: number }>('/api/v1/departments?q=-water')).total, 1);
    });
  });

  describe('users', () => {
    test('a handler cannot read another department’s users; their list is their department and themselves', async () => {
      const transport = await userByName('handler-transport');
      assertProblem(
        await app.inject({ url: `/api/v1/users/${transport.id}`, headers: as('handler-housing').headers }),
        403,
        'forbidden',
      );

      const housing = await departmentByCode('housing');
      const colleague = await send('POST', '/api/v1/users', 'admin', {
        username: 'housing-colleague',
        displayName: '住建同事',
        role: 'handler',
        departmentId: housing.id,
        password: 'Colleague-pass-2026',
      });
      assert.equal(colleague.statusCode, 201, colleague.body);
      const own = await get<{ items: User[]; total: number }>('/api/v1/users', 'handler-housing');
      assert.deepEqual(
        own.items.map((user) => user.username),
        ['handler-housing', 'housing-colleague'],
      );
      assert.equal(own.total, 2);
      const read = await app.inject({
        url: `/api/v1/users/${colleague.json<User>().id}`,
        headers: as('handler-housing').headers,
      });
      assert.equal(read.statusCode, 200);
    });

    test('a district coordinator lists only the users scoped to their district', async () => {
      const listed = await get<{ items: User[] }>('/api/v1/users?limit=500', 'coordinator-east');
      // admin-east and coordinator-east by scope, handler-east by its district department, cadre by its community.
      assert.deepEqual(
        listed.items.map((user) => user.username),
        ['admin-east', 'cadre', 'coordinator-east', 'handler-east'],
      );
    });

    test('admins read contact details and each read is audited; nobody else ever gets phone or email', async () => {
      const subject = await userByName('handler-transport');
      const detail = await get<UserDetail>(`/api/v1/users/${subject.id}`);
      assert.equal(detail.phone, '13800138000');
      assert.equal(detail.email, 'handler-transport@test.example');

      const audit = await get<{ items: AuditEntryView[] }>(
        '/api/v1/audit?action=user.read_personal&limit=500',
        'auditor',
      );
      const entry = audit.items.find((item) => item.resourceId === String(subject.id));
      assert.ok(entry, 'the read of personal data is in the audit log');
      assert.equal(entry.actorUserId, as('admin').userId);
      assert.equal(entry.resourceType, 'user');

      const readers: [TestUsername, number][] = [
        ['coordinator', subject.id],
        ['auditor', subject.id],
        ['handler-transport', subject.id],
        ['coordinator-east', as('coordinator-east').userId],
      ];
      for (const [reader, id] of readers) {
        const one = await get<Record<string, unknown>>(`/api/v1/users/${id}`, reader);
        assert.ok(!('phone' in one) && !('email' in one), `${reader} got no contact details`);
        const list = await app.inject({ url: '/api/v1/users?limit=500', headers: as(reader).headers });
        assert.doesNotMatch(
          list.body,
          /"phone"|"email"|13800138000|test\.example/,
          `${reader}'s list has no contact details`,
        );
      }
      const adminList = await app.inject({ url: '/api/v1/users?limit=500', headers: as('admin').headers });
      assert.doesNotMatch(
        adminList.body,
        /"phone"|"email"|13800138000/,
        'lists carry no contact details, even for admins',
      );
    });

    test('a handler needs a department: the 422 names departmentId', async () => {
      const before = (await get<{ total: number }>('/api/v1/users')).total;
      const response = await send('POST', '/api/v1/users', 'admin', {
        username: 'no-department',
        displayName: '无部门',
        role: 'handler',
        password: 'Long-enough-2026',
      });
      const problem = assertProblem(response, 422, 'validation_failed');
      assert.ok(
        problem.errors?.some((error) => error.path === 'departmentId'),
        JSON.stringify(problem.errors),
      );
      assert.equal((await get<{ total: number }>('/api/v1/users')).total, before);
    });

    test('a district admin cannot create an admin; an admin cannot change their own role', async () => {
      const east = await regionByCode('east');
      const newAdmin = {
        username: 'east-admin-2',
        displayName: '东区管理员二',
        role: 'admin',
        scopeRegionId: east.id,
        password: 'Long-enough-2026',
      };
      assertProblem(await send('POST', '/api/v1/users', 'admin-east', newAdmin), 403, 'forbidden');
      const { scopeRegionId: _scope, ...cityWide } = newAdmin;
      assertProblem(await send('POST', '/api/v1/users', 'admin-east', cityWide), 403, 'forbidden');
      assert.equal((await get<{ total: number }>('/api/v1/users?q=east-admin-2')).total, 0);

      const self = await get<User>(`/api/v1/users/${as('admin').userId}`);
      assertProblem(
        await send('PATCH', `/api/v1/users/${self.id}`, 'admin', { version: self.version, role: 'coordinator' }),
        403,
        'forbidden',
      );
      const after = await get<User>(`/api/v1/users/${self.id}`);
      assert.equal(after.role, 'admin');
      assert.equal(after.version, self.version);
    });

    test('saving a user with the same role keeps their sessions; a real role change ends them', async () => {
      const target = await userByName('handler-transport');
      const unchanged = await send('PATCH', `/api/v1/users/${target.id}`, 'admin', {
        version: target.version,
        role: target.role,
        displayName: '交通承办人',
      });
      assert.equal(unchanged.statusCode, 200, unchanged.body);
      const stillIn = await app.inject({ url: '/api/v1/session', headers: as('handler-transport').headers });
      assert.equal(stillIn.statusCode, 200);

      const audit = await get<{ items: AuditEntryView[] }>('/api/v1/audit?action=user.update&limit=1', 'auditor');
      assert.deepEqual(audit.items[0]?.details.fields, ['displayName']);

      const changed = await send('PATCH', `/api/v1/users/${target.id}`, 'admin', {
        version: unchanged.json<User>().version,
        role: 'coordinator',
        departmentId: null,
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const ended = await app.inject({ url: '/api/v1/session', headers: as('handler-transport').headers });
      assertProblem(ended, 401, 'session_expired');
    });
  });
});
