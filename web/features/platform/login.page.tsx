import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { loginRequestSchema } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { logIn } from '../../api/platform.ts';
import { CHANGE_PASSWORD_PATH } from '../../components/guards.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PublicPage } from '../../components/public-page.tsx';
import { useSession } from '../../components/session.tsx';
import { zodRule } from '../../components/form-validation.ts';
import { useI18n } from '../../i18n/i18n.tsx';

interface LoginValues {
  username: string;
  password: string;
  city?: string;
}

interface ReturnState {
  from?: string;
  expired?: boolean;
}

/** Staff and citizens log in here; the session cookie is set by the server. */
export function LoginPage() {
  const { t } = useI18n();
  const { state: session, signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const [showCity, setShowCity] = useState(false);
  const returnTo = (location.state as ReturnState | null) ?? {};

  if (session.status === 'active' && !submitting) return <Navigate to="/" replace />;

  const submit = async (values: LoginValues) => {
    setSubmitting(true);
    setError(undefined);
    try {
      const body = loginRequestSchema.parse({ ...values, city: values.city?.trim() || undefined });
      const answer = await logIn(body);
      signIn(answer);
      navigate(answer.user.mustChangePassword ? CHANGE_PASSWORD_PATH : (returnTo.from ?? '/'), { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      form.setFieldValue('password', '');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PublicPage>
      <Typography.Title level={1} style={{ fontSize: 28, textAlign: 'center', marginTop: 0 }}>
        {t('app.name')}
      </Typography.Title>
      <Typography.Paragraph style={{ textAlign: 'center' }}>{t('login.intro')}</Typography.Paragraph>
      {returnTo.expired && !error && (
        <Alert type="info" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />
      )}
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      <Form<LoginValues> form={form} name="login" layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="username" label={t('login.username')} rules={[zodRule(loginRequestSchema.shape.username, t)]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[zodRule(loginRequestSchema.shape.password, t)]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {showCity ? (
          <Form.Item name="city" label={t('login.city')} extra={t('login.cityHint')}>
            <Input autoComplete="off" />
          </Form.Item>
        ) : (
          <Button type="link" onClick={() => setShowCity(true)} style={{ padding: 0, marginBottom: 16 }}>
            {t('login.more')}
          </Button>
        )}
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('login.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ textAlign: 'center', margin: '16px 0 0' }}>
        {t('login.noAccount')} <Link to="/register">{t('login.register')}</Link>
      </Typography.Paragraph>
    </PublicPage>
  );
}
