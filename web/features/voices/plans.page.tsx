import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { PLAN_ITEM_STATUSES, planCreateSchema } from '../../../contracts/plans.ts';
import {
  createPlan,
  createPlanItem,
  listPlanItems,
  listPlans,
  updatePlanItem,
  type PlanItemPatch,
  type PlanItemView,
  type PlanView,
} from '../../api/plans.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { zodRule } from '../../components/form-validation.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { itemBody, PlanItemFields, PlanProgress, PlanStatusTag, useOwners, type ItemValues } from './plan-ui.tsx';
import { useDepartmentNames } from './use-departments.ts';

type PlanItemStatus = PlanItemView['status'];

interface PlanValues {
  departmentId?: number;
  title?: string;
  year?: number;
  period?: string;
}

const ITEM_FIELDS = ['title', 'description', 'ownerUserId', 'dueDate', 'budgetNote', 'progress', 'status', 'note'];

/**
 * 工作计划: the plans of the reader's department (handlers) or of the
 * departments in their scope, and the items of the chosen plan with owner,
 * due date, progress and status; handlers and coordinators create plans,
 * add items and update them (the originators of adopted suggestions are told).
 */
export function PlansPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const mayManage = user.role === 'handler' || user.role === 'coordinator';
  const pickDepartment = user.role !== 'handler';
  const yearId = useId();
  const departmentId = useId();
  const statusId = useId();
  const [year, setYear] = useState<number>();
  const [department, setDepartment] = useState<number>();
  const [statusFilter, setStatusFilter] = useState<PlanItemStatus>();
  const [selectedId, setSelectedId] = useState<number>();
  const [creatingPlan, setCreatingPlan] = useState(false);
  const [editing, setEditing] = useState<{ open: boolean; item?: PlanItemView }>({ open: false });
  const [planForm] = Form.useForm<PlanValues>();
  const [itemForm] = Form.useForm<ItemValues>();
  const departments = useDepartmentNames(pickDepartment);
  const plans = useRemote((signal) => listPlans({ year, departmentId: department }, signal), [year, department]);
  const selected: PlanView | undefined = plans.data?.find((plan) => plan.id === selectedId) ?? plans.data?.[0];
  const items = useRemote(
    async (signal) => (selected ? listPlanItems(selected.id, signal) : []),
    [selected?.id, selected?.itemCount],
  );
  const owners = useOwners(selected?.departmentId);
  const thisYear = new Date().getFullYear();
  const years = [
    ...new Set([thisYear + 1, thisYear, thisYear - 1, ...(plans.data ?? []).map((plan) => plan.year)]),
  ].sort((a, b) => b - a);

  const planColumns: ColumnsType<PlanView> = [
    {
      title: t('plans.field.title'),
      dataIndex: 'title',
      render: (title: string, plan) => (
        <Button
          type="link"
          style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}
          aria-pressed={plan.id === selected?.id}
          onClick={() => setSelectedId(plan.id)}
        >
          {title}
        </Button>
      ),
    },
    { title: t('voices.field.department'), dataIndex: 'department' },
    {
      title: t('plans.field.year'),
      dataIndex: 'year',
      render: (value: number, plan) => (plan.period ? `${value} · ${plan.period}` : value),
    },
    { title: t('plans.field.itemCount'), dataIndex: 'itemCount', align: 'right' },
  ];

  const itemColumns: ColumnsType<PlanItemView> = [
    {
      title: t('plans.item.title'),
      dataIndex: 'title',
      render: (title: string, item) => (
        <Flex vertical gap={2} style={{ maxWidth: 320 }}>
          <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Typography.Text>
          {item.description && (
            <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
              {item.description}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('plans.item.owner'), dataIndex: 'ownerUserId', render: owners.name },
    { title: t('plans.item.dueDate'), dataIndex: 'dueDate', render: (date: string | null) => date ?? '—' },
    {
      title: t('plans.item.progress'),
      dataIndex: 'progress',
      render: (progress: number, item) => <PlanProgress percent={progress} label={item.title} />,
    },
    {
      title: t('plans.item.status'),
      dataIndex: 'status',
      render: (status: PlanItemStatus) => <PlanStatusTag status={status} />,
    },
    {
      title: t('plans.item.budgetNote'),
      dataIndex: 'budgetNote',
      render: (note: string | null) => <span style={{ overflowWrap: 'anywhere' }}>{note ?? '—'}</span>,
    },
    {
      title: t('plans.item.sources'),
      dataIndex: 'sourceCaseIds',
      render: (ids: number[]) =>
        ids.length === 0 ? (
          '—'
        ) : (
          <Flex wrap gap={6}>
            {ids.map((id) => (
              <Link key={id} to={`/cases/${id}`}>
                #{id}
              </Link>
            ))}
          </Flex>
        ),
    },
    { title: t('voices.field.updatedAt'), dataIndex: 'updatedAt', render: (at: string) => formatDateTime(lang, at) },
  ];
  if (mayManage) {
    itemColumns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, item) => (
        <Button
          size="small"
          onClick={() => setEditing({ open: true, item })}
          aria-label={`${t('plans.edit')}: ${item.title}`}
        >
          {t('plans.edit')}
        </Button>
      ),
    });
  }

  const savePlan = async (values: PlanValues) => {
    const body = planCreateSchema.parse({
      ...(pickDepartment ? { departmentId: values.departmentId } : {}),
      title: values.title,
      year: values.year,
      ...(values.period?.trim() ? { period: values.period } : {}),
    });
    const plan = await createPlan(body);
    setSelectedId(plan.id);
    plans.reload();
  };

  const saveItem = async (values: ItemValues) => {
    const item = editing.item;
    if (!selected) return;
    const body = itemBody(values);
    if (!item) {
      await createPlanItem(selected.id, body);
    } else {
      // Send only what changed, so a concurrent edit of another field is not overwritten.
      const patch: PlanItemPatch = { version: item.version };
      if (body.title !== item.title) patch.title = body.title;
      if ((body.description ?? '') !== item.description) patch.description = body.description ?? '';
      if (body.ownerUserId !== item.ownerUserId) patch.ownerUserId = body.ownerUserId;
      if (body.dueDate !== item.dueDate) patch.dueDate = body.dueDate;
      if (body.budgetNote !== item.budgetNote) patch.budgetNote = body.budgetNote;
      if (body.progress !== item.progress) patch.progress = body.progress;
      if (body.status !== item.status) patch.status = body.status;
      if (values.note?.trim()) patch.note = values.note.trim();
      await updatePlanItem(item.id, patch);
    }
    plans.reload();
    items.reload();
  };

  const visibleItems = (items.data ?? []).filter((item) => !statusFilter || item.status === statusFilter);
  const editingItem = editing.item;
  return (
    <>
      <PageHeading
        title={t('nav.plans')}
        actions={
          mayManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreatingPlan(true)}>
              {t('plans.create')}
            </Button>
          )
        }
      />
      <Typography.Paragraph>{t('plans.intro')}</Typography.Paragraph>
      <Flex wrap gap={16} align="center" style={{ marginBottom: 16 }}>
        <Flex align="center" gap={8}>
          <label htmlFor={yearId}>{t('plans.field.year')}</label>
          <Select<number | 'all'>
            id={yearId}
            value={year ?? 'all'}
            style={{ width: 130 }}
            options={[
              { value: 'all', label: t('plans.filter.allYears') },
              ...years.map((value) => ({ value, label: String(value) })),
            ]}
            onChange={(value) => setYear(value === 'all' ? undefined : value)}
          />
        </Flex>
        {pickDepartment && (
          <Flex align="center" gap={8}>
            <label htmlFor={departmentId}>{t('voices.field.department')}</label>
            <Select<number | 'all'>
              id={departmentId}
              value={department ?? 'all'}
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              options={[
                { value: 'all', label: t('plans.filter.allDepartments') },
                ...[...departments].map(([value, label]) => ({ value, label })),
              ]}
              onChange={(value) => setDepartment(value === 'all' ? undefined : value)}
            />
          </Flex>
        )}
        <Flex align="center" gap={8}>
          <label htmlFor={statusId}>{t('plans.item.status')}</label>
          <Select<PlanItemStatus | 'all'>
            id={statusId}
            value={statusFilter ?? 'all'}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: t('plans.filter.allStatuses') },
              ...PLAN_ITEM_STATUSES.map((value) => ({ value, label: t(`plans.status.${value}`) })),
            ]}
            onChange={(value) => setStatusFilter(value === 'all' ? undefined : value)}
          />
        </Flex>
      </Flex>
      <ProblemAlert error={plans.error ?? items.error} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card title={<h2 className="card-heading">{t('nav.plans')}</h2>}>
            <Table<PlanView>
              rowKey="id"
              size="small"
              columns={planColumns}
              dataSource={plans.data ?? []}
              loading={plans.loading}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              rowClassName={(plan) => (plan.id === selected?.id ? 'ant-table-row-selected' : '')}
              locale={{ emptyText: <span className="table-empty">{t('plans.empty')}</span> }}
              scroll={{ x: 'max-content' }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card
            title={
              <h2 className="card-heading">
                {selected ? t('plans.items', { plan: selected.title }) : t('plans.select')}
              </h2>
            }
            extra={
              mayManage &&
              selected && (
                <Button icon={<PlusOutlined />} onClick={() => setEditing({ open: true })}>
                  {t('plans.addItem')}
                </Button>
              )
            }
          >
            <Table<PlanItemView>
              rowKey="id"
              columns={itemColumns}
              dataSource={visibleItems}
              loading={items.loading}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <span className="table-empty">{t('plans.noItems')}</span> }}
              scroll={{ x: 'max-content' }}
            />
          </Card>
        </Col>
      </Row>
      <FormModal<PlanValues>
        open={creatingPlan}
        title={t('plans.formCreate')}
        name="plan"
        form={planForm}
        initialValues={{ year: thisYear, departmentId: department }}
        onSubmit={savePlan}
        onClose={() => setCreatingPlan(false)}
        fields={['departmentId', 'title', 'year', 'period']}
      >
        {pickDepartment && (
          <Form.Item
            name="departmentId"
            label={t('voices.field.department')}
            required
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={[...departments].map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="title"
          label={t('plans.field.title')}
          required
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            zodRule(planCreateSchema.shape.title, t),
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="year"
              label={t('plans.field.year')}
              required
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="period" label={t('plans.field.period')}>
              <Input maxLength={40} placeholder="全年 / Q3" />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>
      <FormModal<ItemValues>
        open={editing.open}
        title={editingItem ? t('plans.formEdit', { title: editingItem.title }) : t('plans.addItem')}
        name="plan-item"
        form={itemForm}
        initialValues={
          editingItem
            ? {
                title: editingItem.title,
                description: editingItem.description,
                ownerUserId: editingItem.ownerUserId,
                dueDate: editingItem.dueDate ?? undefined,
                budgetNote: editingItem.budgetNote ?? undefined,
                progress: editingItem.progress,
                status: editingItem.status,
              }
            : { progress: 0, status: 'planned' }
        }
        onSubmit={saveItem}
        onConflict={() => items.reload()}
        onClose={() => setEditing((current) => ({ ...current, open: false }))}
        fields={ITEM_FIELDS}
      >
        <PlanItemFields owners={owners.options} ownersLoading={owners.loading} />
        {editingItem && (
          <Form.Item name="note" label={t('plans.item.note')} extra={t('plans.item.noteHint')}>
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
        )}
      </FormModal>
    </>
  );
}
