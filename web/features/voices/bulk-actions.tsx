import { Alert, Button, Flex, Form, Input, List, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Role } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { fireBulkEvent, type CaseBulkEventResult, type CaseEventRequest, type CaseSummary } from '../../api/voices.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { isMessageKey, localName, useI18n, type Translate } from '../../i18n/i18n.tsx';
import type { CaseListMode } from './cases.page.tsx';
import { useDepartments } from './use-departments.ts';

/** The events a list offers in bulk: 签收 in a handler's inbox, 派单 from triage, 督办 on the overdue board. */
export type BulkEvent = 'accept_work' | 'dispatch' | 'urge';

/** Which bulk action (if any) a list offers this reader; the server still checks every case. */
export function bulkEventOf(mode: CaseListMode, role: Role): BulkEvent | undefined {
  if (mode === 'cases' && role === 'handler') return 'accept_work';
  if (mode === 'triage' && role === 'coordinator') return 'dispatch';
  if (mode === 'overdue' && role === 'coordinator') return 'urge';
  return undefined;
}

/** One case's outcome as the list shows it. */
export interface BulkRowOutcome {
  readonly caseId: number;
  readonly number: string;
  readonly ok: boolean;
  readonly label: string;
}

function outcomeLabel(t: Translate, result: CaseBulkEventResult['results'][number]): string {
  if (result.ok) return t('voices.bulk.ok');
  const key = `voices.bulk.${result.code ?? 'failed'}`;
  return isMessageKey(key) ? t(key) : t('voices.bulk.failed');
}

/**
 * The bar above a list: how many rows are selected and the one bulk action;
 * a dispatch asks for the department, an urge for its note. Each case's
 * outcome goes to `onDone`, in the order selected.
 */
export function BulkBar({
  event,
  selected,
  onDone,
}: {
  event: BulkEvent;
  selected: readonly CaseSummary[];
  onDone: (outcomes: BulkRowOutcome[]) => void;
}) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [form] = Form.useForm<{ departmentId?: number; note?: string }>();
  const departments = useDepartments(event === 'dispatch');

  const send = async (request: CaseEventRequest): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await fireBulkEvent(
        selected.map((row) => ({ caseId: row.id, version: row.version })),
        request,
      );
      const numbers = new Map(selected.map((row) => [row.id, row.number]));
      onDone(
        result.results.map((row) => ({
          caseId: row.caseId,
          number: row.number ?? numbers.get(row.caseId) ?? `#${row.caseId}`,
          ok: row.ok,
          label: outcomeLabel(t, row),
        })),
      );
      return true;
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const label = t(`voices.bulk.${event}`);
  return (
    <Flex wrap gap={12} align="center">
      <Typography.Text aria-live="polite">{t('voices.bulk.selected', { n: selected.length })}</Typography.Text>
      <Button
        type="primary"
        disabled={selected.length === 0}
        loading={busy && !open}
        onClick={() => (event === 'accept_work' ? void send({ type: 'accept_work' }) : setOpen(true))}
      >
        {label}
      </Button>
      {!open && <ProblemAlert error={error} />}
      {open && (
        <Modal
          open
          title={label}
          okText={label}
          cancelText={t('common.cancel')}
          onCancel={() => setOpen(false)}
          okButtonProps={{ htmlType: 'submit', loading: busy }}
          destroyOnHidden
          mask={{ closable: false }}
          modalRender={(dialog) => (
            <Form
              form={form}
              name={`bulk-${event}`}
              layout="vertical"
              clearOnDestroy
              onFinish={async (values) => {
                const request: CaseEventRequest =
                  event === 'dispatch'
                    ? { type: 'dispatch', departmentId: values.departmentId! }
                    : { type: 'urge', note: (values.note ?? '').trim() };
                if (await send(request)) setOpen(false);
              }}
            >
              {dialog}
            </Form>
          )}
        >
          <ProblemAlert error={error} style={{ marginBottom: 16 }} />
          <Typography.Paragraph>{t('voices.bulk.selected', { n: selected.length })}</Typography.Paragraph>
          {event === 'dispatch' ? (
            <Form.Item
              name="departmentId"
              label={t('voices.field.department')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={departments.loading}
                options={departments.items.map((department) => ({
                  value: department.id,
                  label: localName(lang, department),
                }))}
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="note"
              label={t('voices.field.note')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input.TextArea rows={3} showCount maxLength={4000} />
            </Form.Item>
          )}
        </Modal>
      )}
    </Flex>
  );
}

/** What the last bulk action did: a summary, and each case that did not go through with its reason. */
export function BulkResult({ outcomes }: { outcomes: readonly BulkRowOutcome[] }) {
  const { t } = useI18n();
  const ok = outcomes.filter((outcome) => outcome.ok).length;
  const failed = outcomes.filter((outcome) => !outcome.ok);
  return (
    <Alert
      role="status"
      type={failed.length === 0 ? 'success' : ok === 0 ? 'error' : 'warning'}
      showIcon
      style={{ marginBottom: 16 }}
      title={`${t('voices.bulk.result')}: ${t('voices.bulk.summary', { ok, failed: failed.length })}`}
      description={
        failed.length > 0 && (
          <List
            size="small"
            dataSource={failed}
            renderItem={(outcome) => (
              <List.Item data-bulk-outcome={outcome.caseId}>
                {outcome.number}: {outcome.label}
              </List.Item>
            )}
          />
        )
      }
    />
  );
}

/** One row's outcome in the list's result column. */
export function BulkOutcomeTag({ outcome }: { outcome: BulkRowOutcome | undefined }) {
  if (!outcome) return null;
  return (
    <Tag color={outcome.ok ? 'success' : 'error'} style={{ marginInlineEnd: 0 }}>
      {outcome.label}
    </Tag>
  );
}
