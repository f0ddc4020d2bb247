import { Alert, App, Button, Card, Col, Flex, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import type { Me } from '../../../contracts/platform.ts';
import {
  adoptCase,
  adoptionsByTrackingCode,
  adoptionsOfCase,
  createPlan,
  listPlanItems,
  listPlans,
} from '../../api/plans.ts';
import { useRemote } from '../../api/use-remote.ts';
import type { CaseDetailView } from '../../api/voices.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { AdoptionList, itemBody, PlanItemFields, useOwners, type ItemValues } from './plan-ui.tsx';

/** Picked in the plan select to create a plan on the spot. */
const NEW_PLAN = -1;

interface AdoptValues extends ItemValues {
  planId?: number;
  mode?: 'existing' | 'new';
  planItemId?: number;
  planTitle?: string;
  planYear?: number;
  planPeriod?: string;
}

/** Who may adopt: the case's own department's handlers and coordinators (the server checks scope again). */
const mayAdopt = (user: Me, detail: CaseDetailView): boolean =>
  detail.kind === 'suggestion' &&
  detail.departmentId !== null &&
  (user.role === 'coordinator' || (user.role === 'handler' && user.departmentId === detail.departmentId));

/**
 * 纳入工作计划 on a case page: the plan items the suggestion went into (status,
 * progress, due date) and, for its department, the 采纳 action. Shown for
 * suggestions and for any case already adopted.
 */
export function CasePlanCard({ detail, user, onAdopted }: { detail: CaseDetailView; user: Me; onAdopted: () => void }) {
  const { t } = useI18n();
  const adoptions = useRemote((signal) => adoptionsOfCase(detail.id, signal), [detail.id, detail.version]);
  const [open, setOpen] = useState(false);
  const items = adoptions.data ?? [];
  const adopt = mayAdopt(user, detail);
  if (detail.kind !== 'suggestion' && items.length === 0) return null;
  if (!adopt && items.length === 0) return null;
  return (
    <Card
      title={<h2 className="card-heading">{t('plans.adopted.title')}</h2>}
      extra={
        adopt && (
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('plans.adopt')}
          </Button>
        )
      }
      loading={!adoptions.data && adoptions.loading}
    >
      {items.length > 0 ? (
        <AdoptionList items={items} />
      ) : (
        <Typography.Text type="secondary">{t('plans.adopt.intro')}</Typography.Text>
      )}
      {open && detail.departmentId !== null && (
        <AdoptModal
          caseId={detail.id}
          departmentId={detail.departmentId}
          onClose={() => setOpen(false)}
          onAdopted={() => {
            adoptions.reload();
            onAdopted();
          }}
        />
      )}
    </Card>
  );
}

function AdoptModal({
  caseId,
  departmentId,
  onClose,
  onAdopted,
}: {
  caseId: number;
  departmentId: number;
  onClose: () => void;
  onAdopted: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<AdoptValues>();
  const plans = useRemote((signal) => listPlans({ departmentId }, signal), [departmentId]);
  const planId = Form.useWatch('planId', form);
  const mode = Form.useWatch('mode', form);
  const items = useRemote(
    async (signal) => (planId && planId !== NEW_PLAN ? listPlanItems(planId, signal) : []),
    [planId],
  );
  const owners = useOwners(departmentId);
  const creatingPlan = planId === NEW_PLAN;
  const existing = mode === 'existing' && !creatingPlan;
  const planOptions = [
    ...(plans.data ?? []).map((plan) => ({
      value: plan.id,
      label: `${plan.title}（${plan.year}${plan.period ? ` · ${plan.period}` : ''}）`,
    })),
    { value: NEW_PLAN, label: `+ ${t('plans.adopt.newPlan')}` },
  ];

  const submit = async (values: AdoptValues) => {
    let target = values.planId!;
    if (target === NEW_PLAN) {
      target = (
        await createPlan({
          departmentId,
          title: values.planTitle!.trim(),
          year: values.planYear!,
          ...(values.planPeriod?.trim() ? { period: values.planPeriod.trim() } : {}),
        })
      ).id;
    }
    const item = await adoptCase(
      caseId,
      existing && values.planItemId
        ? { planItemId: values.planItemId }
        : { newItem: { planId: target, ...itemBody(values) } },
    );
    message.success(t('plans.adopt.done', { item: item.title }));
    onAdopted();
  };

  return (
    <FormModal<AdoptValues>
      open
      title={t('plans.adopt')}
      name="adopt"
      form={form}
      initialValues={{ mode: 'new', progress: 0, status: 'planned', planYear: new Date().getFullYear() }}
      onSubmit={submit}
      onClose={onClose}
      fields={[
        'planId',
        'planItemId',
        'title',
        'description',
        'ownerUserId',
        'dueDate',
        'budgetNote',
        'progress',
        'status',
        'planTitle',
        'planYear',
        'planPeriod',
      ]}
      fieldOf={(path) => {
        const field = path[0] === 'newItem' ? path[1] : path[0];
        return typeof field === 'string' ? field : undefined;
      }}
    >
      <Typography.Paragraph type="secondary">{t('plans.adopt.intro')}</Typography.Paragraph>
      {plans.data?.length === 0 && (
        <Alert type="info" showIcon title={t('plans.adopt.noPlans')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item
        name="planId"
        label={t('plans.adopt.plan')}
        required
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Select options={planOptions} loading={plans.loading} showSearch={{ optionFilterProp: 'label' }} />
      </Form.Item>
      {creatingPlan && (
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="planTitle"
              label={t('plans.field.title')}
              required
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item
              name="planYear"
              label={t('plans.field.year')}
              required
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="planPeriod" label={t('plans.field.period')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
      )}
      {!creatingPlan && (
        <Form.Item name="mode" label={t('plans.adopt.mode')}>
          <Radio.Group
            options={[
              { value: 'new', label: t('plans.adopt.mode.new') },
              { value: 'existing', label: t('plans.adopt.mode.existing') },
            ]}
          />
        </Form.Item>
      )}
      {existing ? (
        <Form.Item
          name="planItemId"
          label={t('plans.adopt.item')}
          required
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            options={(items.data ?? []).map((item) => ({ value: item.id, label: item.title }))}
            loading={items.loading}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
      ) : (
        <Flex vertical>
          <PlanItemFields owners={owners.options} ownersLoading={owners.loading} />
        </Flex>
      )}
    </FormModal>
  );
}

/** 纳入工作计划 on the public track page: what became of the suggestion, by tracking code; nothing when not adopted. */
export function TrackedAdoptions({ code }: { code: string }) {
  const { t } = useI18n();
  const adoptions = useRemote((signal) => adoptionsByTrackingCode(code, signal), [code]);
  const items = adoptions.data ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={<h2 className="card-heading">{t('plans.adopted.title')}</h2>}>
      <AdoptionList items={items} />
    </Card>
  );
}
