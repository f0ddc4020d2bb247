import { Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { registerCitizenSchema } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { registerCitizen } from '../../api/platform.ts';
import { isBlank, parseForm, showFieldErrors, zodRule } from '../../components/form-validation.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PublicPage } from '../../components/public-page.tsx';
import { useSession } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

interface RegisterValues {
  username: string;
  displayName: string;
  password: string;
  confirmPassword: string;
  phone?: string;
  email?: string;
  city?: string;
}

/** Form fields the server's `errors[].path` may point at. */
const FIELDS = ['username', 'displayName', 'password', 'phone', 'email', 'city'];
const shape = registerCitizenSchema.shape;
const orUndefined = (value: string | undefined) => (isBlank(value) ? undefined : value);

/**
 * A citizen creates their own account. The server signs them in at once
 * (same answer as a login), so they land on the home page. Before login
 * there is no CSRF token, and the endpoint needs none.
 */
export function RegisterPage() {
  const { t } = useI18n();
  const { state: session, signIn } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<RegisterValues>();
  const [error, setError] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  const [showCity, setShowCity] = useState(false);

  if (session.status === 'active' && !submitting) return <Navigate to="/" replace />;

  const submit = async (values: RegisterValues) => {
    const body = parseForm(
      registerCitizenSchema,
      {
        username: values.username,
        displayName: values.displayName,
        password: values.password,
        phone: orUndefined(values.phone),
        email: orUndefined(values.email),
        city: orUndefined(values.city?.trim()),
      },
      form,
      t,
    );
    if (!body) return;
    setSubmitting(true);
    setError(undefined);
    try {
      signIn(await registerCitizen(body));
      navigate('/', { replace: true });
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      // Only the username is unique, so a duplicate can only mean that someone already has it.
      if (caught.code === 'duplicate') {
        form.setFields([{ name: 'username', errors: [t('register.usernameTaken')] }]);
      } else if (caught.code === 'not_found' && body.city) {
        form.setFields([{ name: 'city', errors: [t('register.unknownCity')] }]);
      } else if (!showFieldErrors(form, caught, FIELDS)) {
        setError(caught);
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PublicPage>
      <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center', marginTop: 0 }}>
        {t('register.title')}
      </Typography.Title>
      <Typography.Paragraph style={{ textAlign: 'center' }}>{t('register.intro')}</Typography.Paragraph>
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      <Form<RegisterValues> form={form} name="register" layout="vertical" onFinish={submit} scrollToFirstError>
        <Form.Item
          name="username"
          label={t('user.username')}
          extra={t('register.usernameHint')}
          required
          rules={[zodRule(shape.username, t, 'validation.usernameFormat')]}
        >
          <Input autoComplete="username" autoCapitalize="none" autoCorrect="off" spellCheck={false} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('register.displayName')}
          extra={t('register.displayNameHint')}
          required
          rules={[zodRule(shape.displayName, t)]}
        >
          <Input autoComplete="nickname" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          extra={t('password.rule')}
          required
          rules={[zodRule(shape.password, t)]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('register.confirmPassword')}
          dependencies={['password']}
          required
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (isBlank(value)) throw new Error(t('validation.required'));
                if (value !== getFieldValue('password')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <div role="group" aria-labelledby="register-contact" aria-describedby="register-privacy">
          <Typography.Title level={2} id="register-contact" style={{ fontSize: 16, marginTop: 8 }}>
            {t('register.contact')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" id="register-privacy">
            {t('register.privacy')}
          </Typography.Paragraph>
          <Form.Item name="phone" label={t('user.phone')} rules={[zodRule(shape.phone, t, 'validation.phoneFormat')]}>
            <Input type="tel" inputMode="tel" autoComplete="tel" />
          </Form.Item>
          <Form.Item name="email" label={t('user.email')} rules={[zodRule(shape.email, t)]}>
            <Input type="email" inputMode="email" autoComplete="email" />
          </Form.Item>
        </div>
        {showCity ? (
          <Form.Item name="city" label={t('login.city')} extra={t('login.cityHint')} rules={[zodRule(shape.city, t)]}>
            <Input autoComplete="off" autoCapitalize="none" />
          </Form.Item>
        ) : (
          <Button type="link" onClick={() => setShowCity(true)} style={{ padding: 0, marginBottom: 16 }}>
            {t('login.more')}
          </Button>
        )}
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('register.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ textAlign: 'center', margin: '16px 0 0' }}>
        {t('register.haveAccount')} <Link to="/login">{t('register.toLogin')}</Link>
      </Typography.Paragraph>
    </PublicPage>
  );
}
