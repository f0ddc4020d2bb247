import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { changePasswordSchema } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { changePassword } from '../../api/platform.ts';
import { isBlank, parseForm, zodRule } from '../../components/form-validation.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../../components/session.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * The checks only the server can make (it knows the current password), said
 * in the reader's language; the length rule is checked in the browser first.
 */
const SERVER_CHECKS: Record<'currentPassword' | 'newPassword', MessageKey> = {
  currentPassword: 'password.wrongCurrent',
  newPassword: 'password.sameAsCurrent',
};

/** Replaces the caller's own password; the session is re-read afterwards because the server may rotate it. */
export function ChangePasswordForm({ onChanged }: { onChanged?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { refresh } = useSession();
  const [form] = Form.useForm<PasswordValues>();
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);

  const submit = async ({ currentPassword, newPassword }: PasswordValues) => {
    const body = parseForm(changePasswordSchema, { currentPassword, newPassword }, form, t);
    if (!body) return;
    setSaving(true);
    setError(undefined);
    try {
      await changePassword(body);
      form.resetFields();
      message.success(t('password.changed'));
      await refresh();
      onChanged?.();
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      const placed: Parameters<typeof form.setFields>[0] = [];
      for (const { path } of caught.problem.errors ?? []) {
        const field = path.replace(/^body\./, '');
        if (field === 'currentPassword' || field === 'newPassword') {
          placed.push({ name: field, errors: [t(SERVER_CHECKS[field])] });
        }
      }
      if (placed.length > 0) form.setFields(placed);
      else setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Form<PasswordValues>
      form={form}
      name="change-password"
      layout="vertical"
      onFinish={submit}
      style={{ maxWidth: 420 }}
    >
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        required
        rules={[zodRule(changePasswordSchema.shape.currentPassword, t)]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.rule')}
        required
        rules={[zodRule(changePasswordSchema.shape.newPassword, t)]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        required
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_rule, value: unknown) => {
              if (isBlank(value)) throw new Error(t('validation.required'));
              if (value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
