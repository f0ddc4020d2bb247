import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId, useState } from 'react';
import { replyTemplateInputSchema } from '../../../contracts/reply-templates.ts';
import { ApiError } from '../../api/client.ts';
import {
  createReplyTemplate,
  listReplyTemplates,
  replaceReplyTemplate,
  retireReplyTemplate,
  type ReplyTemplateView,
} from '../../api/reply-templates.ts';
import { useRemote } from '../../api/use-remote.ts';
import type { CaseSummary } from '../../api/voices.ts';
import { formatDateTime } from '../../components/format.ts';
import { FormModal } from '../../components/form-modal.tsx';
import type { FieldOf } from '../../components/form-validation.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import { useDepartments } from './use-departments.ts';
import { KINDS, useCategories } from './voices-ui.tsx';

type Kind = CaseSummary['kind'];

/** The form's values; `owner` is 'city' or a department id (the wire form's `departmentId`). */
interface TemplateValues {
  owner?: 'city' | number;
  categoryPathPrefix?: string;
  kind?: Kind | '';
  title?: string;
  body?: string;
}

const FIELDS = ['owner', 'categoryPathPrefix', 'kind', 'title', 'body'];
/** The server names `departmentId`; the form calls it `owner`. */
const fieldOf: FieldOf = (path) => {
  const first = path[0];
  if (first === 'departmentId') return 'owner';
  return typeof first === 'string' && FIELDS.includes(first) ? first : undefined;
};

/**
 * Reply templates (答复模板): the city's, kept by city-wide coordinators, and
 * each department's own, kept by its handlers. Editing saves a new version;
 * the history switch shows the retired ones.
 */
export function ReplyTemplatesPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const historyId = useId();
  const [history, setHistory] = useState(false);
  const [owner, setOwner] = useState<'city' | number>();
  const [kind, setKind] = useState<Kind>();
  const [categoryPrefix, setCategoryPrefix] = useState<string>();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<{ open: boolean; template?: ReplyTemplateView }>({ open: false });
  const [error, setError] = useState<ApiError>();
  const templates = useRemote(
    (signal) => listReplyTemplates({ history, owner, kind, categoryPrefix, q: q || undefined }, signal),
    [history, owner, kind, categoryPrefix, q],
  );
  const departments = useDepartments();
  const categories = useCategories();
  const [form] = Form.useForm<TemplateValues>();
  const cityWide = user.scopeRegionId === null || user.scopeRegionId === user.city.id;

  const departmentName = (id: number) => {
    const department = departments.items.find((candidate) => candidate.id === id);
    return department ? localName(lang, department) : `#${id}`;
  };
  const ownerLabel = (id: number | null) => (id === null ? t('voices.templates.city') : departmentName(id));
  // What a user may write to: a handler their department; a coordinator the city (when city-wide) and departments in scope.
  const writable =
    user.role === 'handler'
      ? departments.items.filter((department) => department.id === user.departmentId)
      : departments.items;
  const ownerOptions = [
    ...(user.role !== 'handler' && cityWide ? [{ value: 'city' as const, label: t('voices.templates.city') }] : []),
    ...writable.map((department) => ({ value: department.id, label: localName(lang, department) })),
  ];
  const filterOwnerOptions = [
    { value: 'city' as const, label: t('voices.templates.city') },
    ...writable.map((department) => ({ value: department.id, label: localName(lang, department) })),
  ];
  const kindOptions = KINDS.map((value) => ({ value, label: t(`voices.kind.${value}`) }));
  const categoryOptions = categories.items.map((category) => ({ value: category.path, label: category.path }));

  const retire = async (template: ReplyTemplateView) => {
    setError(undefined);
    try {
      await retireReplyTemplate(template.id);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
    templates.reload();
  };

  const columns: ColumnsType<ReplyTemplateView> = [
    { title: 'ID', dataIndex: 'id' },
    {
      title: t('voices.templates.name'),
      dataIndex: 'title',
      render: (title: string) => <span style={{ overflowWrap: 'anywhere' }}>{title}</span>,
    },
    { title: t('voices.templates.owner'), dataIndex: 'departmentId', render: ownerLabel },
    {
      title: t('voices.field.category'),
      dataIndex: 'categoryPathPrefix',
      render: (prefix: string | null) => prefix ?? t('voices.rules.anyCategory'),
    },
    {
      title: t('voices.field.kind'),
      dataIndex: 'kind',
      render: (value: Kind | null) => (value ? t(`voices.kind.${value}`) : t('voices.templates.anyKind')),
    },
    {
      title: t('voices.templates.body'),
      dataIndex: 'body',
      render: (body: string) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: body }} style={{ maxWidth: 360, margin: 0 }}>
          {body}
        </Typography.Paragraph>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'retiredAt',
      render: (retiredAt: string | null) =>
        retiredAt ? (
          <Tag>
            {t('voices.rules.retired')} {formatDateTime(lang, retiredAt)}
          </Tag>
        ) : (
          <Tag color="success">{t('voices.rules.live')}</Tag>
        ),
    },
    {
      title: t('voices.rules.replaces'),
      dataIndex: 'replacesId',
      render: (id: number | null) => (id ? `#${id}` : '—'),
    },
    { title: t('voices.rules.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(lang, at) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, template) =>
        template.retiredAt ? null : (
          <Flex gap={8}>
            <Button
              size="small"
              onClick={() => setEditing({ open: true, template })}
              aria-label={`${t('voices.templates.edit')} #${template.id}`}
            >
              {t('voices.templates.edit')}
            </Button>
            <Popconfirm
              title={t('voices.templates.retireConfirm')}
              okText={t('voices.rules.retire')}
              cancelText={t('common.cancel')}
              onConfirm={() => retire(template)}
            >
              <Button size="small" danger aria-label={`${t('voices.rules.retire')} #${template.id}`}>
                {t('voices.rules.retire')}
              </Button>
            </Popconfirm>
          </Flex>
        ),
    },
  ];

  const save = async (values: TemplateValues) => {
    const body = replyTemplateInputSchema.parse({
      departmentId: values.owner === 'city' || values.owner === undefined ? null : values.owner,
      categoryPathPrefix: values.categoryPathPrefix || null,
      kind: values.kind || null,
      title: values.title ?? '',
      body: values.body ?? '',
    });
    if (editing.template) await replaceReplyTemplate(editing.template.id, body);
    else await createReplyTemplate(body);
    templates.reload();
  };

  const template = editing.template;
  const placeholders = templates.data?.placeholders ?? [];
  return (
    <>
      <PageHeading
        title={t('voices.templates.title')}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })}>
            {t('voices.templates.create')}
          </Button>
        }
      />
      <Typography.Paragraph>{t('voices.templates.intro')}</Typography.Paragraph>
      <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('voices.templates.search')}
          placeholder={t('voices.templates.search')}
          allowClear
          enterButton={t('common.search')}
          onSearch={(value) => setQ(value.trim())}
          style={{ width: 260, maxWidth: '100%' }}
        />
        <Select
          aria-label={t('voices.templates.owner')}
          placeholder={t('voices.templates.allOwners')}
          allowClear
          value={owner}
          options={filterOwnerOptions}
          onChange={setOwner}
          style={{ width: 200 }}
        />
        <Select<Kind>
          aria-label={t('voices.field.kind')}
          placeholder={t('voices.templates.anyKind')}
          allowClear
          value={kind}
          options={kindOptions}
          onChange={setKind}
          style={{ width: 140 }}
        />
        <Select
          aria-label={t('voices.field.category')}
          placeholder={t('voices.rules.anyCategory')}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={categoryPrefix}
          options={categoryOptions}
          onChange={setCategoryPrefix}
          loading={categories.loading}
          style={{ width: 260 }}
        />
        <Flex align="center" gap={8}>
          <Switch id={historyId} checked={history} onChange={setHistory} />
          <label htmlFor={historyId}>{t('voices.rules.history')}</label>
        </Flex>
      </Flex>
      <ProblemAlert error={templates.error ?? error} style={{ marginBottom: 16 }} />
      <Table<ReplyTemplateView>
        rowKey="id"
        columns={columns}
        dataSource={templates.data?.items ?? []}
        loading={templates.loading}
        pagination={{ pageSize: 20, showSizeChanger: true }}
        scroll={{ x: 'max-content' }}
      />
      <FormModal<TemplateValues>
        open={editing.open}
        title={template ? t('voices.templates.formEdit', { id: template.id }) : t('voices.templates.formCreate')}
        name="reply-template"
        form={form}
        initialValues={
          template
            ? {
                owner: template.departmentId ?? 'city',
                categoryPathPrefix: template.categoryPathPrefix ?? '',
                kind: template.kind ?? '',
                title: template.title,
                body: template.body,
              }
            : { owner: ownerOptions[0]?.value, categoryPathPrefix: '', kind: '', title: '', body: '' }
        }
        onSubmit={save}
        onClose={() => setEditing((current) => ({ ...current, open: false }))}
        fields={FIELDS}
        fieldOf={fieldOf}
      >
        <Form.Item
          name="owner"
          label={t('voices.templates.owner')}
          required
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select options={ownerOptions} loading={departments.loading} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="categoryPathPrefix" label={t('voices.field.category')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={[{ value: '', label: t('voices.rules.anyCategory') }, ...categoryOptions]}
            loading={categories.loading}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('voices.field.kind')}>
          <Select options={[{ value: '', label: t('voices.templates.anyKind') }, ...kindOptions]} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('voices.templates.name')}
          required
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('voices.templates.body')}
          required
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          extra={
            placeholders.length > 0 && (
              <span>
                {t('voices.templates.placeholders')}{' '}
                {placeholders.map((placeholder) => `{${lang === 'en' ? placeholder.en : placeholder.zh}}`).join(' ')}
              </span>
            )
          }
        >
          <Input.TextArea rows={8} showCount maxLength={4000} />
        </Form.Item>
      </FormModal>
    </>
  );
}
