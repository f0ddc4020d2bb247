import { Alert, App, Button, Cascader, Flex, Form, Input, InputNumber, Modal, Radio, Select, Typography, type FormInstance } from 'antd';
import { useState } from 'react';
import { caseEventSchema } from '../../../contracts/voices.ts';
import { ApiError } from '../../api/client.ts';
import { templatesForCase, type ReplyTemplateView } from '../../api/reply-templates.ts';
import { useRemote } from '../../api/use-remote.ts';
import { fireCaseEvent, listCases, type CaseDetailView, type CaseEventRequest } from '../../api/voices.ts';
import { isBlank, parseForm } from '../../components/form-validation.ts';
import { describeProblem, ProblemAlert } from '../../components/problem-alert.tsx';
import { localName, useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { useDepartments } from './use-departments.ts';
import { SCORES, eventLabel, ratingLabel, useCategories } from './voices-ui.tsx';

type FieldName =
  | 'departmentId'
  | 'coHandlerIds'
  | 'toDepartmentId'
  | 'text'
  | 'reason'
  | 'note'
  | 'days'
  | 'confirmed'
  | 'score'
  | 'comment'
  | 'intoCaseId'
  | 'categoryPath';

/** One input of an action's form; a blank optional field is left out (`omit`) or sent as '' (`empty`). */
interface FieldSpec {
  name: FieldName;
  label: MessageKey;
  required?: boolean;
  blank?: 'omit' | 'empty';
}

const reason: FieldSpec = { name: 'reason', label: 'voices.field.reason', required: true };

/** What each event asks for; events missing here (and `join`, the intake's) are not offered. */
const ACTIONS: Record<string, readonly FieldSpec[]> = {
  accept_work: [],
  reply: [{ name: 'text', label: 'voices.field.replyText', required: true }],
  add_note: [{ name: 'text', label: 'voices.field.note', required: true }],
  request_extension: [{ name: 'days', label: 'voices.field.days', required: true }, reason],
  request_transfer: [{ name: 'toDepartmentId', label: 'voices.field.toDepartment', required: true }, reason],
  return: [reason],
  suspend: [reason],
  resume: [],
  dispatch: [
    { name: 'departmentId', label: 'voices.field.department', required: true },
    { name: 'coHandlerIds', label: 'voices.field.coHandlers', blank: 'omit' },
  ],
  arbitrate: [
    { name: 'departmentId', label: 'voices.field.department', required: true },
    { name: 'coHandlerIds', label: 'voices.field.coHandlers', blank: 'omit' },
    reason,
  ],
  approve_transfer: [],
  reject_transfer: [reason],
  approve_extension: [],
  reject_extension: [reason],
  verify_unsatisfied: [
    { name: 'confirmed', label: 'voices.field.confirmed', required: true },
    { name: 'note', label: 'voices.field.note', blank: 'empty' },
  ],
  rate: [
    { name: 'score', label: 'voices.field.score', required: true },
    { name: 'comment', label: 'voices.field.comment', blank: 'omit' },
  ],
  close: [{ name: 'note', label: 'voices.field.note', blank: 'omit' }],
  urge: [{ name: 'note', label: 'voices.field.note', blank: 'empty' }],
  merge: [
    { name: 'intoCaseId', label: 'voices.field.intoCase', required: true },
    { name: 'reason', label: 'voices.field.reason', blank: 'omit' },
  ],
  reject_as_not_in_scope: [reason],
  categorise: [
    { name: 'categoryPath', label: 'voices.field.category', required: true },
    { name: 'reason', label: 'voices.field.reason', blank: 'omit' },
  ],
};

/** A taxonomy path as the category cascader holds it: every level's full path, `a`, `a/b`, `a/b/c`. */
const cascadeOf = (path: string): string[] => path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));

/** What a form starts with: to categorise, the classifier's suggestion, else the case's category. */
function initialValuesOf(type: string, detail: CaseDetailView): Values {
  if (type !== 'categorise') return {};
  const path = detail.messages.find((message) => message.suggestion)?.suggestion?.categoryPath ?? detail.categoryPath;
  return path ? { categoryPath: cascadeOf(path) } : {};
}

/** Actions that decide a request or end the case are shown first and primary. */
const PRIMARY = new Set(['accept_work', 'reply', 'dispatch', 'approve_transfer', 'approve_extension', 'verify_unsatisfied', 'rate', 'close']);

/** Free-text fields: blank (spaces only) counts as empty. */
const TEXT_FIELDS = new Set<FieldName>(['text', 'reason', 'note', 'comment']);

type Values = Partial<Record<FieldName, unknown>>;

function eventOf(type: string, fields: readonly FieldSpec[], values: Values): Record<string, unknown> {
  const event: Record<string, unknown> = { type };
  for (const field of fields) {
    const value = values[field.name];
    const blank = isBlank(value) || (Array.isArray(value) && value.length === 0);
    if (!blank) event[field.name] = typeof value === 'string' ? value.trim() : value;
    else if (field.blank === 'empty') event[field.name] = '';
  }
  return event;
}

interface CaseActionsProps {
  detail: CaseDetailView;
  staff: boolean;
  /** The server's answer after a successful event. */
  onChanged: (detail: CaseDetailView) => void;
  /** Read the case again (after a conflict). */
  reload: () => void;
}

/**
 * The buttons for the events the server says this viewer may fire now
 * (`allowedEvents`); the server stays the judge, a refusal is shown and the
 * case reloaded.
 */
export function CaseActions({ detail, staff, onChanged, reload }: CaseActionsProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const events = detail.allowedEvents
    .filter((type) => type in ACTIONS)
    .sort((a, b) => Number(PRIMARY.has(b)) - Number(PRIMARY.has(a)));

  /** Sends one event; true when it went through. */
  const fire = async (event: Record<string, unknown>): Promise<ApiError | undefined> => {
    const type = String(event.type);
    setBusy(type);
    try {
      onChanged(await fireCaseEvent(detail.id, detail.version, event as CaseEventRequest));
      message.success(t('voices.case.done', { event: eventLabel(t, type) }));
      return undefined;
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.status === 409 || caught.status === 403) {
        message.warning(
          caught.code === 'version_conflict'
            ? t('problem.version_conflict')
            : t('voices.case.refused', { detail: caught.problem.detail || describeProblem(t, caught.problem) }),
        );
        reload();
        setOpen(undefined);
        return undefined;
      }
      return caught;
    } finally {
      setBusy(undefined);
    }
  };

  if (events.length === 0) {
    return <Typography.Text type="secondary">{t('voices.case.noActions')}</Typography.Text>;
  }
  return (
    <>
      <Flex wrap gap={8}>
        {events.map((type) => (
          <Button
            key={type}
            type={PRIMARY.has(type) ? 'primary' : 'default'}
            loading={busy === type}
            onClick={() => ((ACTIONS[type] ?? []).length === 0 ? void fire({ type }) : setOpen(type))}
          >
            {eventLabel(t, type)}
          </Button>
        ))}
      </Flex>
      {open && (
        <ActionModal
          caseId={detail.id}
          type={open}
          fields={ACTIONS[open] ?? []}
          initialValues={initialValuesOf(open, detail)}
          staff={staff}
          onClose={() => setOpen(undefined)}
          onSubmit={async (event) => {
            const refused = await fire(event);
            if (!refused) setOpen(undefined);
            return refused;
          }}
        />
      )}
    </>
  );
}

function ActionModal({
  caseId,
  type,
  fields,
  initialValues,
  staff,
  onClose,
  onSubmit,
}: {
  caseId: number;
  type: string;
  fields: readonly FieldSpec[];
  initialValues: Values;
  staff: boolean;
  onClose: () => void;
  onSubmit: (event: Record<string, unknown>) => Promise<ApiError | undefined>;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const needsDepartments = fields.some((field) => /departmentId|coHandlerIds/i.test(field.name));
  const departments = useDepartments(staff && needsDepartments);
  const departmentOptions = departments.items.map((department) => ({
    value: department.id,
    label: localName(lang, department),
  }));

  const finish = async (values: Values) => {
    if (type === 'merge') {
      // People name cases by number (2026-000123); the event takes the survivor's id.
      const number = String(values.intoCaseId ?? '').trim();
      const found = (await listCases({ q: number, limit: 5, offset: 0 })).items.find((item) => item.number === number);
      if (!found) {
        form.setFields([{ name: 'intoCaseId', errors: [t('voices.merge.notFound', { number })] }]);
        return;
      }
      values = { ...values, intoCaseId: found.id };
    }
    if (type === 'categorise' && Array.isArray(values.categoryPath)) {
      // The cascader holds every level's path; the deepest is the category.
      values = { ...values, categoryPath: values.categoryPath.at(-1) };
    }
    const event = parseForm(caseEventSchema, eventOf(type, fields, values), form, t);
    if (!event) return;
    setSaving(true);
    setError(undefined);
    try {
      setError(await onSubmit(event));
    } finally {
      setSaving(false);
    }
  };

  const input = (field: FieldSpec) => {
    switch (field.name) {
      case 'departmentId':
      case 'toDepartmentId':
        return (
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={departmentOptions}
            loading={departments.loading}
          />
        );
      case 'coHandlerIds':
        return (
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            options={departmentOptions}
            loading={departments.loading}
          />
        );
      case 'days':
        return <InputNumber min={1} max={60} precision={0} style={{ width: '100%' }} />;
      case 'intoCaseId':
        return <Input placeholder="2026-000123" maxLength={40} />;
      case 'categoryPath':
        return <CategoryCascader />;
      case 'confirmed':
        return (
          <Radio.Group
            options={[
              { value: true, label: t('voices.confirmed.yes') },
              { value: false, label: t('voices.confirmed.no') },
            ]}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          />
        );
      case 'score':
        return (
          <Radio.Group
            options={SCORES.map((score) => ({ value: score, label: `${score} · ${ratingLabel(t, score)}` }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          />
        );
      case 'comment':
        return <Input.TextArea rows={3} showCount maxLength={1000} />;
      default:
        return <Input.TextArea rows={field.name === 'text' ? 8 : 4} showCount maxLength={4000} />;
    }
  };

  return (
    <Modal
      open
      title={eventLabel(t, type)}
      onCancel={onClose}
      okText={eventLabel(t, type)}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving }}
      destroyOnHidden
      mask={{ closable: false }}
      modalRender={(dialog) => (
        <Form<Values> form={form} name={`case-${type}`} layout="vertical" onFinish={finish} initialValues={initialValues} clearOnDestroy>
          {dialog}
        </Form>
      )}
    >
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      {type === 'reply' && staff && <TemplatePicker caseId={caseId} form={form} />}
      {fields.map((field) => (
        <Form.Item
          key={field.name}
          name={field.name}
          label={t(field.label)}
          required={field.required}
          rules={
            field.required
              ? // A `whitespace` key (even false) makes antd validate the value as a string, refusing ids.
                [TEXT_FIELDS.has(field.name)
                  ? { required: true, whitespace: true, message: t('validation.required') }
                  : { required: true, message: t('validation.required') }]
              : undefined
          }
        >
          {input(field)}
        </Form.Item>
      ))}
    </Modal>
  );
}

/**
 * The reply templates that fit the case, filled by the server; picking one
 * puts its text in the reply field for the handler to edit. Hidden when none
 * fit or the reader may not use them.
 */
function TemplatePicker({ caseId, form }: { caseId: number; form: FormInstance<Values> }) {
  const { t } = useI18n();
  const remote = useRemote((signal) => templatesForCase(caseId, signal), [caseId]);
  const [picked, setPicked] = useState<ReplyTemplateView>();
  const items = remote.data?.items ?? [];
  if (remote.error || (!remote.loading && items.length === 0)) {
    return remote.error ? null : (
      <Typography.Paragraph type="secondary">{t('voices.templates.none')}</Typography.Paragraph>
    );
  }
  return (
    <Form.Item label={t('voices.templates.pick')}>
      <Select<number>
        aria-label={t('voices.templates.pick')}
        placeholder={t('voices.templates.pickPlaceholder')}
        loading={remote.loading}
        value={picked?.id}
        options={items.map((item) => ({ value: item.id, label: item.title }))}
        onChange={(id) => {
          const item = items.find((candidate) => candidate.id === id);
          setPicked(item);
          if (item) form.setFieldValue('text', item.text ?? item.body);
        }}
      />
      {picked && (picked.unfilled?.length ?? 0) > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          title={t('voices.templates.unfilled', { list: picked.unfilled!.join(' ') })}
        />
      )}
    </Form.Item>
  );
}

/** The city's taxonomy to pick a category from, any level (Form.Item passes value and onChange). */
function CategoryCascader(props: { value?: string[]; onChange?: (value: string[]) => void; id?: string }) {
  const { t } = useI18n();
  const categories = useCategories();
  return (
    <Cascader
      {...props}
      options={categories.tree}
      changeOnSelect
      showSearch
      loading={categories.loading}
      placeholder={t('voices.field.category')}
      style={{ width: '100%' }}
    />
  );
}
