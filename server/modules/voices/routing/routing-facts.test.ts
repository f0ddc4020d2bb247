import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { buildDeps, buildVoicesCity } from '../../../../test/factories.ts';
import type { PlatformDeps, RequestContext } from '../../../platform/index.ts';
import * as cases from '../cases/case.repository.ts';
import { submitMessage } from '../intake/intake.service.ts';
import { forgetRoutingFacts, routingFactsOf } from './routing-facts.ts';
import { createRoutingRule, retireRoutingRule } from './routing.service.ts';

/** The routing facts intake reads from a short cache: a rule written through this server is seen at once. */
describe('routing facts (the intake cache)', () => {
  let deps: PlatformDeps;
  let city: Awaited<ReturnType<typeof buildVoicesCity>>;
  let coordinator: RequestContext;

  before(async () => {
    deps = await buildDeps();
    city = await buildVoicesCity(deps);
    const row = await deps.db
      .selectFrom('users')
      .select('id')
      .where('region_id', '=', city.regionId)
      .where('username', '=', 'coordinator')
      .executeTakeFirstOrThrow();
    coordinator = {
      actor: {
        regionId: city.regionId,
        userId: Number(row.id),
        username: 'coordinator',
        role: 'coordinator',
        departmentId: null,
        scopePath: `/${city.regionId}/`,
        via: 'cli',
      },
      regionId: city.regionId,
      ip: null,
      requestId: null,
    };
  });

  const anonymous = (): RequestContext => ({ actor: undefined, regionId: city.regionId, ip: null, requestId: null });
  const submit = async (categoryPath: string) => {
    const receipt = await submitMessage(
      deps,
      anonymous(),
      { title: '河道有垃圾', description: '小河边堆了很多垃圾，气味很大。', kind: 'complaint', categoryPath },
      { channel: 'web' },
    );
    return (await cases.findCase(deps.db, city.regionId, receipt.caseId))!;
  };

  test('the facts are read once and shared until forgotten', async () => {
    const first = await routingFactsOf(deps.db, city.regionId);
    assert.equal(await routingFactsOf(deps.db, city.regionId), first);
    assert.ok(first.categoriesByPath.has('城乡建设'));
    assert.ok(first.rules.some((rule) => rule.categoryPathPrefix === '城乡建设'));
    forgetRoutingFacts(deps.db, city.regionId);
    assert.notEqual(await routingFactsOf(deps.db, city.regionId), first);
  });

  test('a rule created, then retired, through the service routes the very next message accordingly', async () => {
    assert.equal((await submit('环境保护')).snapshot.state, 'accepted', 'no rule yet: triage');
    const rule = await createRoutingRule(deps, coordinator, {
      categoryPathPrefix: '环境保护',
      districtId: null,
      departmentId: city.departments.housing!,
      coHandlerIds: [],
      priority: 0,
    });
    const routed = await submit('环境保护');
    assert.equal(routed.snapshot.state, 'dispatched');
    assert.equal(routed.snapshot.departmentId, city.departments.housing);
    await retireRoutingRule(deps, coordinator, rule.id);
    assert.equal((await submit('环境保护')).snapshot.state, 'accepted', 'retired: triage again');
  });
});
