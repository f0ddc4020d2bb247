import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ReplyTemplateListView, ReplyTemplateView } from '../../../../contracts/reply-templates.ts';
import type { CaseDetailView, MessageReceiptView } from '../../../../contracts/voices.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { assertProblem, buildVoicesTestApp, loginAs, type TestSession } from '../../../../test/factories.ts';

describe('reply templates', () => {
  let app: FastifyInstance;
  let deps: PlatformDeps;
  let regionId: number;
  let departments: Record<string, number>;
  const as: Record<string, TestSession> = {};

  before(async () => {
    const built = await buildVoicesTestApp({
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', NOTIFY_INTERVAL_SECONDS: '0' },
    });
    ({ app, deps } = built);
    regionId = built.city.regionId;
    departments = built.city.departments;
    for (const who of [
      'coordinator',
      'coordinator-east',
      'handler-housing',
      'handler-transport',
      'handler-east',
      'admin',
      'citizen',
    ])
      as[who] = await loginAs(app, who);
  });

  after(() => app.close());

  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, who: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url, headers: as[who]!.headers, ...(payload ? { payload } : {}) });
  const create = async (who: string, payload: Record<string, unknown>): Promise<ReplyTemplateView> => {
    const response = await send('POST', '/api/v1/reply-templates', who, payload);
    assert.equal(response.statusCode, 201, response.body);
    return response.json<ReplyTemplateView>();
  };
  const list = async (who: string, query = ''): Promise<ReplyTemplateListView> => {
    const response = await app.inject({ url: `/api/v1/reply-templates${query}`, headers: as[who]!.headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<ReplyTemplateListView>();
  };
  const submit = async (payload: Record<string, unknown>): Promise<MessageReceiptView> => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      payload: { kind: 'complaint', ...payload },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<MessageReceiptView>();
  };

  test('who manages which: the city’s by city-wide coordinators, a department’s by its own handlers and coordinators in scope', async () => {
    const cityWide = await create('coordinator', {
      categoryPathPrefix: '城乡建设',
      title: '城建通用答复',
      body: '您反映的问题已转{承办单位}办理。',
    });
    assert.deepEqual(
      [cityWide.departmentId, cityWide.kind, cityWide.retiredAt, cityWide.replacesId],
      [null, null, null, null],
    );
    assertProblem(
      await send('POST', '/api/v1/reply-templates', 'handler-housing', { title: '越权', body: '正文' }),
      403,
      'forbidden',
    );
    assertProblem(
      await send('POST', '/api/v1/reply-templates', 'coordinator-east', { title: '区级不能建全市模板', body: '正文' }),
      403,
      'forbidden',
    );
    assertProblem(
      await send('POST', '/api/v1/reply-templates', 'handler-housing', {
        departmentId: departments.transport,
        title: '别人的',
        body: '正文',
      }),
      403,
      'forbidden',
    );
    assertProblem(
      await send('POST', '/api/v1/reply-templates', 'coordinator-east', {
        departmentId: departments.housing,
        title: '市局不在东区',
        body: '正文',
      }),
      403,
      'forbidden',
    );
    assertProblem(
      await send('POST', '/api/v1/reply-templates', 'coordinator', {
        categoryPathPrefix: '没有/这个类别',
        title: '类别不存在',
        body: '正文',
      }),
      422,
      'validation_failed',
    );
    const own = await create('handler-housing', {
      departmentId: departments.housing,
      categoryPathPrefix: '城乡建设',
      kind: 'complaint',
      title: '住建局投诉答复',
      body: '正文',
    });
    assert.equal(own.departmentId, departments.housing);
    const east = await create('coordinator-east', {
      departmentId: departments['east-housing'],
      title: '东区住建答复',
      body: '正文',
    });
    assert.equal(east.departmentId, departments['east-housing']);
    const audit = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'resource_id'])
      .where('region_id', '=', regionId)
      .where('action', '=', 'reply_template.create')
      .execute();
    assert.deepEqual(
      audit.map((row) => Number(row.resource_id)).sort((a, b) => a - b),
      [cityWide.id, own.id, east.id],
    );
  });

  test('a handler sees the city’s and their own department’s templates, never another department’s', async () => {
    const secret = await create('handler-transport', {
      departmentId: departments.transport,
      title: '交通局内部模板',
      body: '交通局的措辞',
    });
    const housing = await list('handler-housing');
    assert.ok(housing.items.every((item) => item.departmentId === null || item.departmentId === departments.housing));
    assert.ok(!housing.items.some((item) => item.id === secret.id));
    assertProblem(
      await app.inject({
        url: `/api/v1/reply-templates?owner=${departments.transport}`,
        headers: as['handler-housing']!.headers,
      }),
      403,
      'forbidden',
    );
    assertProblem(
      await send('PUT', `/api/v1/reply-templates/${secret.id}`, 'handler-housing', {
        departmentId: departments.transport,
        title: '改别人的',
        body: '正文',
      }),
      403,
      'forbidden',
    );
    assertProblem(await send('DELETE', `/api/v1/reply-templates/${secret.id}`, 'handler-housing'), 403, 'forbidden');
    assert.ok((await list('handler-transport')).items.some((item) => item.id === secret.id));
    assert.ok(
      (await list('coordinator')).items.some((item) => item.id === secret.id),
      'a city-wide coordinator sees every department’s',
    );
    assert.ok(
      !(await list('coordinator-east')).items.some((item) => item.id === secret.id),
      'a district coordinator sees only the departments of the district',
    );
    assert.ok((await list('coordinator', '?owner=city')).items.every((item) => item.departmentId === null));
    assert.ok((await list('coordinator', '?kind=complaint')).items.every((item) => item.kind === 'complaint'));
    const placeholders = (await list('handler-housing')).placeholders.map((placeholder) => placeholder.zh);
    assert.ok(placeholders.includes('案件编号') && placeholders.includes('诉求人称呼'));
  });

  test('the templates fitting a case come filled for its lead department; the handler replies with one', async () => {
    const body = '尊敬的{诉求人称呼}：您好！您于{受理日期}反映的“{诉求标题}”（编号{案件编号}）已由{承办单位}受理。';
    const template = await create('handler-housing', {
      departmentId: departments.housing,
      categoryPathPrefix: '城乡建设/城乡规划',
      title: '违建答复',
      body,
    });
    const general = await create('coordinator', {
      title: '全市通用',
      body: 'Dear {salutation}, case {case_number}: {unknown}',
    });
    const secret = await create('handler-transport', {
      departmentId: departments.transport,
      title: '交通局专用',
      body: '正文',
    });
    const receipt = await submit({
      title: '楼顶违建',
      description: '邻居在楼顶搭建彩钢房',
      categoryPath: '城乡建设/城乡规划/违章建筑',
      contact: { name: '张女士', phone: '13900000000' },
    });

    const fitted = await list('handler-housing', `?caseId=${receipt.caseId}`);
    const ids = fitted.items.map((item) => item.id);
    assert.equal(ids[0], template.id, 'the longest category prefix first');
    assert.ok(ids.includes(general.id));
    assert.ok(!ids.includes(secret.id), 'another department’s template never fits');
    const first = fitted.items[0]!;
    assert.match(
      first.text!,
      new RegExp(
        `^尊敬的张女士：您好！您于\\d{4}年\\d{1,2}月\\d{1,2}日反映的“楼顶违建”（编号${receipt.caseNumber}）已由住房和城乡建设局受理。$`,
      ),
    );
    assert.deepEqual(first.unfilled, []);
    const english = fitted.items.find((item) => item.id === general.id)!;
    assert.equal(english.text, `Dear 张女士, case ${receipt.caseNumber}: {unknown}`);
    assert.deepEqual(english.unfilled, ['{unknown}']);
    assert.ok(!JSON.stringify(fitted).includes('13900000000'), 'never the phone');
    const personalReads = await deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('region_id', '=', regionId)
      .where('action', '=', 'case.read_personal')
      .where('resource_id', '=', String(receipt.caseId))
      .execute();
    assert.equal(personalReads.length, 1, 'using the name is audited like reading the contact');

    assertProblem(
      await app.inject({
        url: `/api/v1/reply-templates?caseId=${receipt.caseId}`,
        headers: as['handler-transport']!.headers,
      }),
      403,
      'forbidden',
    );
    assertProblem(
      await app.inject({ url: `/api/v1/reply-templates?caseId=${receipt.caseId}`, headers: as.admin!.headers }),
      403,
      'forbidden',
    );
    assertProblem(
      await app.inject({ url: '/api/v1/reply-templates?caseId=999999', headers: as['handler-housing']!.headers }),
      404,
      'not_found',
    );

    // The handler starts from the filled text, edits it and replies.
    const caseUrl = `/api/v1/cases/${receipt.caseId}`;
    let detail = (await app.inject({ url: caseUrl, headers: as['handler-housing']!.headers })).json<CaseDetailView>();
    detail = (
      await send('POST', `${caseUrl}/events`, 'handler-housing', {
        version: detail.version,
        event: { type: 'accept_work' },
      })
    ).json<CaseDetailView>();
    const text = `${first.text}经核查，已责令拆除。`;
    const replied = await send('POST', `${caseUrl}/events`, 'handler-housing', {
      version: detail.version,
      event: { type: 'reply', text },
    });
    assert.equal(replied.statusCode, 200, replied.body);
    assert.equal(replied.json<CaseDetailView>().reply?.text, text);
  });

  test('a new version retires the old one (history keeps both); a retired template is 409 and fits no case', async () => {
    const first = await create('handler-east', {
      departmentId: departments['east-housing'],
      title: '初版',
      body: '初版正文',
    });
    const replaced = await send('PUT', `/api/v1/reply-templates/${first.id}`, 'handler-east', {
      departmentId: departments['east-housing'],
      title: '二版',
      body: '二版正文',
    });
    assert.equal(replaced.statusCode, 200, replaced.body);
    const second = replaced.json<ReplyTemplateView>();
    assert.equal(second.replacesId, first.id);
    const live = (await list('handler-east')).items.map((item) => item.id);
    assert.ok(live.includes(second.id) && !live.includes(first.id));
    const history = (await list('handler-east', '?history=true')).items;
    assert.ok(history.find((item) => item.id === first.id)?.retiredAt);
    assertProblem(
      await send('PUT', `/api/v1/reply-templates/${first.id}`, 'handler-east', {
        departmentId: departments['east-housing'],
        title: '三版',
        body: '正文',
      }),
      409,
      'conflict',
    );
    assertProblem(
      await send('PUT', `/api/v1/reply-templates/${second.id}`, 'handler-east', { title: '搬到全市', body: '正文' }),
      403,
      'forbidden',
    );

    const retired = await send('DELETE', `/api/v1/reply-templates/${second.id}`, 'coordinator-east');
    assert.equal(retired.statusCode, 200, retired.body);
    assert.ok(retired.json<ReplyTemplateView>().retiredAt);
    assertProblem(await send('DELETE', `/api/v1/reply-templates/${second.id}`, 'coordinator-east'), 409, 'conflict');
    const audit = await deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('region_id', '=', regionId)
      .where('resource_type', '=', 'reply_template')
      .where('action', 'in', ['reply_template.replace', 'reply_template.retire'])
      .execute();
    assert.deepEqual(audit.map((row) => row.action).sort(), ['reply_template.replace', 'reply_template.retire']);
  });
});
