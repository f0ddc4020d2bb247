import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRoleScope } from '../platform/organisation/organisation.ts';
import { COMPLAINT_AREAS, DEMO_LOGINS, DEMO_PASSWORDS, generateDemoCity, type DemoRegion } from './index.ts';

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;
const CODE = /^[A-Za-z0-9_-]{1,40}$/;
const demo = generateDemoCity(2026);
const ofLevel = (level: DemoRegion['level']) => demo.regions.filter((region) => region.level === level);

test('the same seed gives the same city', () => {
  assert.deepEqual(generateDemoCity(2026), demo);
  assert.deepEqual(generateDemoCity(-7), generateDemoCity(-7));
});

test('another seed renames communities but keeps the structure and the fixed logins', () => {
  const other = generateDemoCity(2027);
  const names = (regions: DemoRegion[]) => regions.filter((r) => r.level === 'community').map((r) => r.name);
  assert.notDeepEqual(names(other.regions), names(demo.regions));
  assert.equal(other.regions.length, demo.regions.length);
  assert.deepEqual(
    other.departments.map((d) => d.code),
    demo.departments.map((d) => d.code),
  );
  for (const login of DEMO_LOGINS) assert.ok(other.users.some((user) => user.username === login.username));
});

test('the city has exactly 10 districts, 100 streets and 1,400 communities', () => {
  assert.equal(ofLevel('city').length, 1);
  assert.equal(demo.regions[0], demo.city);
  assert.equal(demo.city.code, 'qingdao');
  assert.equal(demo.city.name, '青岛市');
  assert.equal(ofLevel('district').length, 10);
  assert.equal(ofLevel('street').length, 100);
  assert.equal(ofLevel('community').length, 1400);
  assert.equal(demo.departments.length, 60);
  assert.ok(demo.users.length >= 30 && demo.users.length <= 50, `${demo.users.length} users`);
});

test('districts are the real ones with their administrative codes', () => {
  assert.deepEqual(
    ofLevel('district').map((d) => `${d.code} ${d.name}`),
    [
      '370202 市南区',
      '370203 市北区',
      '370211 黄岛区',
      '370212 崂山区',
      '370213 李沧区',
      '370214 城阳区',
      '370215 即墨区',
      '370281 胶州市',
      '370283 平度市',
      '370285 莱西市',
    ],
  );
});

test('streets and communities are spread within bounds and named by kind', () => {
  const children = (parent: DemoRegion) => demo.regions.filter((r) => r.parentCode === parent.code);
  for (const district of ofLevel('district')) {
    const streets = children(district);
    assert.ok(streets.length >= 8 && streets.length <= 12, `${district.name}: ${streets.length} streets`);
    for (const street of streets) {
      assert.match(street.code, new RegExp(`^${district.code}\\d{3}$`));
      assert.match(street.name, /(街道|镇)$/);
      const communities = children(street);
      assert.ok(communities.length >= 10 && communities.length <= 18, `${street.name}: ${communities.length}`);
      for (const community of communities) {
        assert.match(community.code, new RegExp(`^${street.code}\\d{3}$`));
        assert.match(community.name, /(社区|村)$/);
      }
    }
  }
  const shinanCommunities = ofLevel('community').filter((c) => c.code.startsWith('370202'));
  assert.ok(
    shinanCommunities.every((c) => c.name.endsWith('社区')),
    'an urban district has no villages',
  );
  assert.ok(
    ofLevel('community').some((c) => c.name.endsWith('村')),
    'the countryside has villages',
  );
});

test('codes and names are unique, well-formed and short enough', () => {
  for (const list of [demo.regions, demo.departments]) {
    const codes = list.map((item) => item.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const item of list) {
      assert.match(item.code, CODE);
      assert.ok(item.name.length >= 1 && item.name.length <= 100, item.name);
      assert.ok(item.nameEn === null || item.nameEn.length <= 100, item.nameEn ?? '');
    }
  }
  for (const level of ['street', 'community'] as const) {
    const names = ofLevel(level).map((region) => region.name);
    assert.equal(new Set(names).size, names.length, `${level} names are unique city-wide`);
  }
});

test('every parent exists and comes before its children', () => {
  const seen = new Set<string>();
  for (const region of demo.regions) {
    if (region.level === 'city') assert.equal(region.parentCode, null);
    else assert.ok(region.parentCode !== null && seen.has(region.parentCode), `${region.code} before its parent`);
    seen.add(region.code);
  }
  const departments = new Set<string>();
  for (const department of demo.departments) {
    if (department.parentCode !== null) assert.ok(departments.has(department.parentCode), department.code);
    if (department.districtCode !== null) assert.ok(seen.has(department.districtCode), department.code);
    departments.add(department.code);
  }
});

test('city bureaus cover every complaint area, each department one or two', () => {
  const cityBureaus = demo.departments.filter((d) => d.districtCode === null);
  for (const area of COMPLAINT_AREAS) {
    assert.ok(
      cityBureaus.some((d) => d.areas.includes(area)),
      `no city bureau for ${area}`,
    );
  }
  for (const department of demo.departments) {
    assert.ok(department.areas.length >= 1 && department.areas.length <= 2, department.code);
    assert.ok(department.areas.every((area) => (COMPLAINT_AREAS as readonly string[]).includes(area)));
    assert.match(department.contactPhone, /^0532-8\d{7}$/);
    assert.match(department.address, /^青岛市.+(区|市).+\d+号$/);
  }
  assert.equal(demo.departments.find((d) => d.code === 'city-housing')?.name, '青岛市住房和城乡建设局');
});

test('users are well-formed and fit the platform role and scope rules', () => {
  const departments = new Set(demo.departments.map((d) => d.code));
  const levels = new Map(demo.regions.map((r) => [r.code, r.level]));
  const usernames = demo.users.map((u) => u.username);
  assert.equal(new Set(usernames).size, usernames.length);
  for (const user of demo.users) {
    assert.match(user.username, USERNAME);
    assert.ok(user.displayName.length >= 2 && user.displayName.length <= 100);
    assert.match(user.phone, /^1[3-9]\d{9}$/);
    assert.equal(user.email, `${user.username}@demo.minxin.example`);
    if (user.role === 'handler') assert.ok(user.departmentCode !== null, `${user.username} has no department`);
    if (user.departmentCode !== null) assert.ok(departments.has(user.departmentCode), user.username);
    const scopeRegionLevel = user.scopeRegionCode === null ? null : levels.get(user.scopeRegionCode);
    assert.notEqual(scopeRegionLevel, undefined, `${user.username}: unknown scope`);
    const problems = checkRoleScope({
      role: user.role,
      departmentId: user.departmentCode === null ? null : 1,
      scopeRegionLevel: scopeRegionLevel ?? null,
    });
    assert.deepEqual(problems, {}, user.username);
  }
});

test('the fixed demo logins exist with the right roles and scopes', () => {
  const byName = new Map(demo.users.map((u) => [u.username, u]));
  const expected = [
    ['admin', 'admin', null, null],
    ['coordinator', 'coordinator', null, null],
    ['handler', 'handler', 'city-housing', null],
    ['cadre', 'cadre', null, '370202001001'],
    ['auditor', 'auditor', null, null],
    ['citizen', 'citizen', null, null],
    ['admin-shinan', 'admin', null, '370202'],
    ['coordinator-huangdao', 'coordinator', null, '370211'],
  ] as const;
  for (const [username, role, departmentCode, scopeRegionCode] of expected) {
    const user = byName.get(username);
    assert.ok(user, `${username} missing`);
    assert.deepEqual(
      { role: user.role, departmentCode: user.departmentCode, scopeRegionCode: user.scopeRegionCode },
      { role, departmentCode, scopeRegionCode },
    );
  }
  assert.equal(demo.regions.find((r) => r.code === '370202001001')?.level, 'community');
  assert.ok(demo.users.some((u) => u.username.startsWith('h-')));
  assert.ok(demo.users.some((u) => /^cadre-\d+$/.test(u.username)));
  assert.ok(demo.users.some((u) => /^citizen-\d+$/.test(u.username)));
});

test('demo passwords are long enough for the password rule', () => {
  for (const password of Object.values(DEMO_PASSWORDS)) assert.ok(password.length >= 10, password);
});

test('many seeds keep every invariant that depends on the draw', () => {
  for (let seed = 0; seed < 25; seed++) {
    const city = generateDemoCity(seed);
    assert.equal(city.regions.length, 1 + 10 + 100 + 1400);
    const codes = new Set(city.regions.map((r) => r.code));
    assert.equal(codes.size, city.regions.length);
    assert.ok(codes.has('370202001001'));
    assert.ok(city.users.length >= 30 && city.users.length <= 50);
    const communityNames = city.regions.filter((r) => r.level === 'community').map((r) => r.name);
    assert.equal(new Set(communityNames).size, 1400);
  }
});
