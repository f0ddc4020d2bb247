import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, InputNumber, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId, useState } from 'react';
import { routingRuleInputSchema } from '../../../contracts/voices.ts';
import { useRemote } from '../../api/use-remote.ts';
import {
  createRoutingRule,
  listRoutingRules,
  replaceRoutingRule,
  retireRoutingRule,
  type RoutingRuleView,
} from '../../api/voices.ts';
import { formatDateTime } from '../../components/format.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useDistrictOptions } from '../platform/use-organisation.ts';
import { useDepartmentNames } from './use-departments.ts';
import { useCategories } from './voices-ui.tsx';

interface RuleValues {
  categoryPathPrefix?: string;
  districtId?: number | null;
  departmentId?: number;
  coHandlerIds?: number[];
  priority?: number;
}

const FIELDS = ['categoryPathPrefix', 'districtId', 'departmentId', 'coHandlerIds', 'priority'];

/** The routing rules: live ones (or the whole history), created, replaced and retired by coordinators. */
export function RoutingRulesPage() {
  const { t, lang } = useI18n();
  const historyId = useId();
  const [history, setHistory] = useState(false);
  const [editing, setEditing] = useState<{ open: boolean; rule?: RoutingRuleView }>({ open: false });
  const [error, setError] = useState<ApiError>();
  const rules = useRemote((signal) => listRoutingRules(history, signal), [history]);
  const departments = useDepartmentNames();
  const districts = useDistrictOptions();
  const categories = useCategories();
  const [form] = Form.useForm<RuleValues>();
  const districtName = (id: number | null) =>
    id === null ? t('voices.anyDistrict') : (districts.options.find((option) => option.value === id)?.label ?? `#${id}`);
  const departmentName = (id: number) => departments.get(id) ?? `#${id}`;
  const departmentOptions = [...departments].map(([value, label]) => ({ value, label }));

  const retire = async (rule: RoutingRuleView) => {
    setError(undefined);
    try {
      await retireRoutingRule(rule.id);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
    rules.reload();
  };

  const columns: ColumnsType<RoutingRuleView> = [
    { title: 'ID', dataIndex: 'id' },
    {
      title: t('voices.rules.prefix'),
      dataIndex: 'categoryPathPrefix',
      render: (prefix: string) => prefix || t('voices.rules.anyCategory'),
    },
    { title: t('voices.field.district'), dataIndex: 'districtId', render: districtName },
    { title: t('voices.field.department'), dataIndex: 'departmentId', render: departmentName },
    {
      title: t('voices.field.coHandlers'),
      dataIndex: 'coHandlerIds',
      render: (ids: number[]) => (ids.length ? ids.map(departmentName).join('、') : '—'),
    },
    { title: t('voices.rules.priority'), dataIndex: 'priority', align: 'right' },
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
    { title: t('voices.rules.replaces'), dataIndex: 'replacesId', render: (id: number | null) => (id ? `#${id}` : '—') },
    { title: t('voices.rules.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(lang, at) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, rule) =>
        rule.retiredAt ? null : (
          <Flex gap={8}>
            <Button size="small" onClick={() => setEditing({ open: true, rule })} aria-label={`${t('voices.rules.replace')} #${rule.id}`}>
              {t('voices.rules.replace')}
            </Button>
            <Popconfirm
              title={t('voices.rules.retireConfirm')}
              okText={t('voices.rules.retire')}
              cancelText={t('common.cancel')}
              onConfirm={() => retire(rule)}
            >
              <Button size="small" danger aria-label={`${t('voices.rules.retire')} #${rule.id}`}>
                {t('voices.rules.retire')}
              </Button>
            </Popconfirm>
          </Flex>
        ),
    },
  ];

  const save = async (values: RuleValues) => {
    // The selects only offer valid values, so this parse fills defaults rather than finds mistakes.
    const body = routingRuleInputSchema.parse({
      ...values,
      categoryPathPrefix: values.categoryPathPrefix ?? '',
      districtId: values.districtId ?? null,
    });
    if (editing.rule) await replaceRoutingRule(editing.rule.id, body);
    else await createRoutingRule(body);
    rules.reload();
  };

  const rule = editing.rule;
  return (
    <>
      <PageHeading
        title={t('voices.rules.title')}
        actions={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })}>
            {t('voices.rules.create')}
          </Button>
        }
      />
      <Typography.Paragraph>{t('voices.rules.intro')}</Typography.Paragraph>
      <Flex align="center" gap={8} style={{ marginBottom: 16 }}>
        <Switch id={historyId} checked={history} onChange={setHistory} />
        <label htmlFor={historyId}>{t('voices.rules.history')}</label>
      </Flex>
      <ProblemAlert error={rules.error ?? error} style={{ marginBottom: 16 }} />
      <Table<RoutingRuleView>
        rowKey="id"
        columns={columns}
        dataSource={rules.data ?? []}
        loading={rules.loading}
        pagination={{ pageSize: 20, showSizeChanger: true }}
        scroll={{ x: 'max-content' }}
      />
      <FormModal<RuleValues>
        open={editing.open}
        title={rule ? t('voices.rules.formReplace', { id: rule.id }) : t('voices.rules.formCreate')}
        name="routing-rule"
        form={form}
        initialValues={
          rule
            ? {
                categoryPathPrefix: rule.categoryPathPrefix,
                districtId: rule.districtId,
                departmentId: rule.departmentId,
                coHandlerIds: rule.coHandlerIds,
                priority: rule.priority,
              }
            : { categoryPathPrefix: '', districtId: null, coHandlerIds: [], priority: 0 }
        }
        onSubmit={save}
        onClose={() => setEditing((current) => ({ ...current, open: false }))}
        fields={FIELDS}
      >
        <Form.Item name="categoryPathPrefix" label={t('voices.rules.prefix')}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={[
              { value: '', label: t('voices.rules.anyCategory') },
              ...categories.items.map((category) => ({ value: category.path, label: category.path })),
            ]}
            loading={categories.loading}
          />
        </Form.Item>
        <Form.Item name="districtId" label={t('voices.field.district')}>
          <Select
            options={[{ value: null, label: t('voices.anyDistrict') }, ...districts.options]}
            loading={districts.loading}
          />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t('voices.field.department')}
          required
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={departmentOptions} />
        </Form.Item>
        <Form.Item name="coHandlerIds" label={t('voices.field.coHandlers')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={departmentOptions} />
        </Form.Item>
        <Form.Item name="priority" label={t('voices.rules.priority')}>
          <InputNumber min={-1000} max={1000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </FormModal>
    </>
  );
}
