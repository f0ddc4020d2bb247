import { Col, Flex, Form, Input, InputNumber, List, Progress, Row, Select, Tag, Typography } from 'antd';
import { PLAN_ITEM_STATUSES, planItemCreateSchema } from '../../../contracts/plans.ts';
import { listUsers } from '../../api/platform.ts';
import type { AdoptionView, PlanItemView } from '../../api/plans.ts';
import { useRemote } from '../../api/use-remote.ts';
import { zodRule } from '../../components/form-validation.ts';
import { useI18n } from '../../i18n/i18n.tsx';

type PlanItemStatus = PlanItemView['status'];

const STATUS_COLOURS: Record<PlanItemStatus, string> = {
  planned: 'default',
  in_progress: 'processing',
  done: 'success',
  dropped: 'warning',
};

/** An item's status as a tag: the word says it, the colour only helps. */
export function PlanStatusTag({ status }: { status: PlanItemStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOURS[status]} style={{ marginInlineEnd: 0 }} data-plan-status={status}>
      {t(`plans.status.${status}`)}
    </Tag>
  );
}

/** An item's progress bar, named for screen readers by the item it measures. */
export function PlanProgress({ percent, label }: { percent: number; label: string }) {
  const { t } = useI18n();
  return (
    <Progress
      percent={percent}
      size="small"
      style={{ minWidth: 120, marginBottom: 0 }}
      aria-label={`${t('plans.item.progress')}: ${label}`}
      data-progress={percent}
    />
  );
}

/**
 * What became of a suggestion: the plan items it went into, with status,
 * progress and due date (no owner, no one else's data). Renders nothing
 * when the case was not adopted.
 */
export function AdoptionList({ items }: { items: readonly AdoptionView[] }) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <Flex vertical gap={8} data-testid="adoptions">
      <Typography.Text>{t('plans.adopted.intro')}</Typography.Text>
      <List
        dataSource={[...items]}
        renderItem={(item) => (
          <List.Item>
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Flex wrap gap={8} align="center">
                <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
                  {item.itemTitle}
                </Typography.Text>
                <PlanStatusTag status={item.status} />
              </Flex>
              <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
                {item.planTitle}
                {item.dueDate && ` · ${t('plans.adopted.due', { date: item.dueDate })}`}
              </Typography.Text>
              <PlanProgress percent={item.progress} label={item.itemTitle} />
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );
}

export interface ItemValues {
  title?: string;
  description?: string;
  ownerUserId?: number | null;
  dueDate?: string;
  budgetNote?: string;
  progress?: number;
  status?: PlanItemStatus;
  note?: string;
}

/** The wire form of an item's values: blanks become null (or are left out for a new item's text). */
export function itemBody(values: ItemValues) {
  return {
    title: values.title?.trim() ?? '',
    description: values.description?.trim() || undefined,
    ownerUserId: values.ownerUserId ?? null,
    dueDate: values.dueDate || null,
    budgetNote: values.budgetNote?.trim() || null,
    progress: values.progress ?? 0,
    status: values.status ?? 'planned',
  };
}

/** The fields of an item form (title, description, owner, due date, budget note, progress, status). */
export function PlanItemFields({
  owners,
  ownersLoading,
}: {
  owners: { value: number; label: string }[];
  ownersLoading: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="title"
        label={t('plans.item.title')}
        required
        rules={[
          { required: true, whitespace: true, message: t('validation.required') },
          zodRule(planItemCreateSchema.shape.title, t),
        ]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="description" label={t('plans.item.description')}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="ownerUserId" label={t('plans.item.owner')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={owners} loading={ownersLoading} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="dueDate" label={t('plans.item.dueDate')}>
            <Input type="date" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="budgetNote" label={t('plans.item.budgetNote')}>
        <Input maxLength={1000} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="progress" label={t('plans.item.progress')}>
            <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="status" label={t('plans.item.status')}>
            <Select options={PLAN_ITEM_STATUSES.map((value) => ({ value, label: t(`plans.status.${value}`) }))} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** The people an item may be given to: the accounts of the plan's department. */
export function useOwners(departmentId: number | undefined) {
  const remote = useRemote(
    async (signal) => (departmentId === undefined ? [] : (await listUsers({ departmentId, limit: 500 }, signal)).items),
    [departmentId],
  );
  const users = remote.data ?? [];
  return {
    options: users.map((user) => ({ value: user.id, label: user.displayName })),
    name: (id: number | null) => (id === null ? '—' : (users.find((user) => user.id === id)?.displayName ?? `#${id}`)),
    loading: remote.loading,
  };
}
