import { Alert, Button, Card, Cascader, Flex, Form, Input, Radio, Result, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Region } from '../../../contracts/platform.ts';
import { messageCreateSchema } from '../../../contracts/voices.ts';
import { ApiError } from '../../api/client.ts';
import { listRegions } from '../../api/platform.ts';
import { submitMessage, type MessageReceiptView } from '../../api/voices.ts';
import { isBlank, parseForm, showFieldErrors, zodRule, type FieldOf } from '../../components/form-validation.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../../components/session.tsx';
import { localName, useI18n, type Lang } from '../../i18n/i18n.tsx';
import { LocationPin, type LocationPinValue } from './location-pin.tsx';
import { PhotoPicker, usePhotoUploads } from './photos.tsx';
import { KINDS, newIdempotencyKey, useCategories, type CaseKind } from './voices-ui.tsx';

interface SubmitValues {
  title?: string;
  description?: string;
  kind: CaseKind;
  category?: string[];
  place?: number[];
  address?: string;
  pin?: LocationPinValue;
  contactName?: string;
  contactPhone?: string;
  contactEmail?: string;
}

interface PlaceOption {
  value: number;
  label: string;
  level: Region['level'];
  isLeaf: boolean;
  children?: PlaceOption[];
}

const MAX_DESCRIPTION = 4000;
const FIELDS = ['title', 'description', 'kind', 'category', 'place', 'address', 'pin', 'contact'];

/** The form field a contract path belongs to: the pin holds lat and lng, the place district and community. */
const fieldOfPath: FieldOf = (path) => {
  const head = path[0];
  if (typeof head !== 'string') return undefined;
  if (head === 'categoryPath') return 'category';
  if (head === 'districtId' || head === 'communityId') return 'place';
  if (head === 'lat' || head === 'lng') return 'pin';
  return head;
};
const contactShape = messageCreateSchema.shape.contact.unwrap().shape;

const placeOf = (lang: Lang, region: Region): PlaceOption => ({
  value: region.id,
  label: localName(lang, region),
  level: region.level,
  isLeaf: region.level === 'community' || region.childCount === 0,
});

/** District → street → community, each level fetched when opened (the city tree is public). */
function usePlaces() {
  const { lang } = useI18n();
  const [options, setOptions] = useState<PlaceOption[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    listRegions({ level: 'district', limit: 500 }, controller.signal).then(
      (page) => setOptions(page.items.map((region) => placeOf(lang, region))),
      () => setOptions([]),
    );
    return () => controller.abort();
  }, [lang]);
  const loadData = async (path: PlaceOption[]) => {
    const target = path[path.length - 1];
    if (!target) return;
    const page = await listRegions({ parentId: target.value, limit: 500 });
    target.children = page.items.map((region) => placeOf(lang, region));
    target.isLeaf = target.children.length === 0;
    setOptions((current) => [...current]);
  };
  return { options, loadData };
}

/** The contract's body from the form: blanks left out, the place split into district and community. */
function bodyOf(values: SubmitValues, places: PlaceOption[]) {
  const contact = {
    name: isBlank(values.contactName) ? undefined : values.contactName,
    phone: isBlank(values.contactPhone) ? undefined : values.contactPhone,
    email: isBlank(values.contactEmail) ? undefined : values.contactEmail,
  };
  const hasContact = Object.values(contact).some((value) => value !== undefined);
  const districtId = values.place?.[0];
  let level: PlaceOption[] = places;
  let communityId: number | undefined;
  for (const id of values.place ?? []) {
    const option = level.find((candidate) => candidate.value === id);
    if (option?.level === 'community') communityId = option.value;
    level = option?.children ?? [];
  }
  return {
    title: values.title ?? '',
    description: values.description ?? '',
    kind: values.kind,
    categoryPath: values.category?.length ? values.category[values.category.length - 1] : undefined,
    districtId,
    communityId,
    address: isBlank(values.address) ? undefined : values.address,
    lat: values.pin?.lat,
    lng: values.pin?.lng,
    contact: hasContact ? contact : undefined,
  };
}

/** The public form: phone first, anonymous or signed in, one message per form however often it is tapped. */
export function SubmitPage() {
  const { t } = useI18n();
  const { state } = useSession();
  const [form] = Form.useForm<SubmitValues>();
  const categories = useCategories();
  const places = usePlaces();
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [receipt, setReceipt] = useState<MessageReceiptView>();
  const [error, setError] = useState<ApiError>();
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);
  const navigate = useNavigate();
  const photos = usePhotoUploads();

  const send = async (values: SubmitValues) => {
    const body = parseForm(messageCreateSchema, bodyOf(values, places.options), form, t, fieldOfPath);
    if (!body || inFlight.current) return;
    if (photos.busy) {
      photos.setNotice(t('voices.photos.stillUploading'));
      return;
    }
    inFlight.current = true;
    setSending(true);
    setError(undefined);
    try {
      setReceipt(await submitMessage({ ...body, ...(photos.refs.length > 0 ? { photos: photos.refs } : {}) }, idempotencyKey));
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      // A refused photo (`photos[i]`, e.g. expired or already used) is marked on the photo itself.
      for (const problem of caught.problem.errors ?? []) {
        const index = /^photos\[(\d+)\]$/.exec(problem.path)?.[1];
        if (index !== undefined) photos.refuse(Number(index), problem.message);
      }
      if (!showFieldErrors(form, caught, FIELDS, fieldOfPath)) setError(caught);
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  const another = () => {
    form.resetFields();
    photos.reset();
    setIdempotencyKey(newIdempotencyKey());
    setReceipt(undefined);
  };

  if (receipt) {
    const trackPath = `/track/${encodeURIComponent(receipt.trackingCode)}`;
    return (
      <Card>
        <Result
          status="success"
          title={<h1 style={{ fontSize: 24, margin: 0 }}>{t('voices.submit.doneTitle')}</h1>}
          subTitle={t('voices.submit.doneDetail')}
          extra={
            <Flex vertical align="center" gap={16}>
              <div>
                <Typography.Text type="secondary" id="tracking-code-label">
                  {t('voices.submit.code')}
                </Typography.Text>
                <div>
                  <Typography.Text
                    className="tracking-code"
                    aria-labelledby="tracking-code-label"
                    data-testid="tracking-code"
                    copyable={{ text: receipt.trackingCode, tooltips: [t('common.copy'), t('common.copied')] }}
                  >
                    {receipt.trackingCode}
                  </Typography.Text>
                </div>
                <Typography.Text type="secondary">
                  {t('voices.submit.caseNumber', { number: receipt.caseNumber })}
                </Typography.Text>
              </div>
              <Flex gap={12} wrap justify="center">
                <Button
                  type="primary"
                  size="large"
                  href={trackPath}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(trackPath);
                  }}
                >
                  {t('voices.submit.trackLink')}
                </Button>
                <Button size="large" onClick={another}>
                  {t('voices.submit.another')}
                </Button>
              </Flex>
            </Flex>
          }
        />
      </Card>
    );
  }

  return (
    <Card>
      <PageHeading title={t('nav.submit')} />
      <Typography.Paragraph>{t('voices.submit.intro')}</Typography.Paragraph>
      {state.status !== 'active' && (
        <Alert type="info" showIcon title={t('voices.submit.anonymousNote')} style={{ marginBottom: 16 }} />
      )}
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      <Form<SubmitValues>
        form={form}
        name="submit-message"
        layout="vertical"
        initialValues={{ kind: 'complaint' }}
        onFinish={send}
        scrollToFirstError
      >
        <Form.Item
          name="title"
          label={t('voices.field.title')}
          required
          rules={[zodRule(messageCreateSchema.shape.title, t)]}
        >
          <Input maxLength={100} placeholder={t('voices.submit.titlePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('voices.field.description')}
          required
          rules={[zodRule(messageCreateSchema.shape.description, t)]}
        >
          <Input.TextArea rows={6} showCount maxLength={MAX_DESCRIPTION} />
        </Form.Item>
        <Form.Item name="kind" label={t('voices.field.kind')} required>
          <Radio.Group
            optionType="button"
            options={KINDS.map((kind) => ({ value: kind, label: t(`voices.kind.${kind}`) }))}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
          />
        </Form.Item>
        <Form.Item name="category" label={t('voices.field.category')} extra={t('voices.submit.categoryHelp')}>
          <Cascader
            options={categories.tree}
            changeOnSelect
            showSearch
            allowClear
            placeholder={t('voices.any')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item name="place" label={t('voices.field.place')}>
          <Cascader<PlaceOption>
            options={places.options}
            loadData={places.loadData}
            changeOnSelect
            allowClear
            placeholder={t('voices.any')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item name="address" label={t('voices.field.address')} rules={[zodRule(messageCreateSchema.shape.address, t)]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="pin" label={t('voices.field.pin')}>
          <LocationPin />
        </Form.Item>
        <Form.Item label={t('voices.photos.label')} htmlFor="message-photos">
          <PhotoPicker uploads={photos} id="message-photos" />
        </Form.Item>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 16, fontWeight: 600, marginBottom: 4 }}>{t('voices.submit.contactTitle')}</legend>
          <Typography.Paragraph type="secondary" id="contact-help">
            {t('voices.submit.contactHelp')}
          </Typography.Paragraph>
          <Form.Item name="contactName" label={t('voices.field.contactName')} rules={[zodRule(contactShape.name, t)]}>
            <Input autoComplete="name" aria-describedby="contact-help" />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('voices.field.contactPhone')}
            rules={[zodRule(contactShape.phone, t, 'validation.phoneFormat')]}
          >
            <Input type="tel" autoComplete="tel" inputMode="tel" aria-describedby="contact-help" />
          </Form.Item>
          <Form.Item name="contactEmail" label={t('voices.field.contactEmail')} rules={[zodRule(contactShape.email, t)]}>
            <Input type="email" autoComplete="email" aria-describedby="contact-help" />
          </Form.Item>
        </fieldset>
        <Button type="primary" htmlType="submit" size="large" block loading={sending}>
          {t('voices.submit.send')}
        </Button>
      </Form>
    </Card>
  );
}
