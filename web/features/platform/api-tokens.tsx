import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { apiTokenCreateSchema, type ApiToken } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { createMyToken, listMyTokens, revokeMyToken, type ApiTokenCreated } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { isBlank, parseForm, zodRule } from '../../components/form-validation.ts';
import { ProblemAlert, describeProblem } from '../../components/problem-alert.tsx';
import { useI18n, type Translate } from '../../i18n/i18n.tsx';

interface TokenValues {
  name: string;
  expiresInDays?: number | null;
}

function tokenState(t: Translate, token: ApiToken) {
  if (token.revokedAt) return <Tag>{t('tokens.revoked')}</Tag>;
  if (token.expiresAt && new Date(token.expiresAt) < new Date())
    return <Tag color="warning">{t('tokens.expired')}</Tag>;
  return <Tag color="success">{t('tokens.active')}</Tag>;
}

/** Shows a new token's secret the one time the server reveals it. */
function CreatedTokenModal({ token, onClose }: { token: ApiTokenCreated | undefined; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open={token !== undefined}
      title={t('tokens.createdTitle')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('tokens.done')}
        </Button>
      }
    >
      <Typography.Paragraph>{t('tokens.showOnce')}</Typography.Paragraph>
      <Typography.Paragraph
        code
        copyable={{ text: token?.token ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
        data-testid="created-token"
        style={{ wordBreak: 'break-all' }}
      >
        {token?.token}
      </Typography.Paragraph>
    </Modal>
  );
}

/**
 * Personal API tokens let scripts act as this user. The list shows only a
 * prefix; the full secret is shown once, at creation.
 */
export function ApiTokens() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TokenValues>();
  const tokens = useRemote((signal) => listMyTokens(signal), []);
  const [created, setCreated] = useState<ApiTokenCreated>();
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);

  const create = async (values: TokenValues) => {
    const body = parseForm(
      apiTokenCreateSchema,
      { name: values.name, expiresInDays: isBlank(values.expiresInDays) ? undefined : values.expiresInDays },
      form,
      t,
    );
    if (!body) return;
    setSaving(true);
    setError(undefined);
    try {
      setCreated(await createMyToken(body));
      form.resetFields();
      tokens.reload();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (token: ApiToken) => {
    try {
      await revokeMyToken(token.id);
      message.success(t('tokens.revokedOk', { name: token.name }));
      tokens.reload();
    } catch (caught) {
      if (caught instanceof ApiError) message.error(describeProblem(t, caught.problem));
    }
  };

  const columns: ColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
    },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(lang, at) },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      render: (at: string | null) => (at ? formatDateTime(lang, at) : t('tokens.never')),
    },
    { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', render: (at: string | null) => formatDateTime(lang, at) },
    { title: t('tokens.state'), key: 'state', render: (_, token) => tokenState(t, token) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm', { name: token.name })}
            okText={t('tokens.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke(token)}
          >
            <Button danger size="small">
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <Form<TokenValues>
        form={form}
        name="new-token"
        layout="inline"
        onFinish={create}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="name" label={t('tokens.name')} required rules={[zodRule(apiTokenCreateSchema.shape.name, t)]}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="expiresInDays"
          label={t('tokens.expiresInDays')}
          rules={[zodRule(apiTokenCreateSchema.shape.expiresInDays, t)]}
        >
          <InputNumber min={1} max={3650} placeholder={t('tokens.never')} style={{ width: 140 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('tokens.create')}
        </Button>
      </Form>
      <ProblemAlert error={error ?? tokens.error} style={{ marginBottom: 16 }} />
      <Table<ApiToken>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={tokens.data ?? []}
        loading={tokens.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      <CreatedTokenModal token={created} onClose={() => setCreated(undefined)} />
    </>
  );
}
