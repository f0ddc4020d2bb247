import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, InputNumber, Select } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { logVisit } from '../../api/pairing.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PhotoPicker, usePhotoUploads } from '../voices/photos.tsx';

const NEED_TYPES = ['medical', 'legal', 'employment', 'education', 'elderly', 'disability', 'housing', 'psychological'] as const;

/** Today in the browser's time zone, as YYYY-MM-DD. */
const today = (): string => {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
};

interface VisitForm {
  visitedOn: string;
  durationMinutes: number;
  met: string;
  situation: string;
  needs?: { needType: string; description: string }[];
}

/** 记录走访: the cadre's phone-sized visit form; each need found becomes a case. */
export function VisitPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const [form] = Form.useForm<VisitForm>();
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const [cases, setCases] = useState<string[]>();
  // Photos taken on the visit go with the first need's case (an upload is linked once).
  const photos = usePhotoUploads();
  const submit = async (values: VisitForm) => {
    setSaving(true);
    try {
      const receipt = await logVisit(id, {
        visitedOn: values.visitedOn,
        durationMinutes: values.durationMinutes,
        met: values.met,
        situation: values.situation,
        needs: (values.needs ?? []).map((need, index) => (index === 0 && photos.refs.length > 0 ? { ...need, photos: photos.refs } : need)),
      });
      setError(undefined);
      setCases(receipt.needs.map((need) => need.caseNumber));
      if (receipt.needs.length === 0) void navigate(`/pairing/households/${id}`);
    } catch (reason) {
      if (reason instanceof ApiError) setError(reason);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div style={{ maxWidth: 480 }}>
      <PageHeading title={t('pairing.logVisit')} />
      {cases ? (
        <Flex vertical gap={12}>
          <Alert type="success" showIcon data-testid="visit-saved" message={t('pairing.visitSaved', { cases: cases.join('、') })} />
          <Link to={`/pairing/households/${id}`}>{t('pairing.backToHousehold')}</Link>
        </Flex>
      ) : (
        <Form<VisitForm> form={form} layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ visitedOn: today(), durationMinutes: 30 }}>
          <Form.Item name="visitedOn" label={t('pairing.visitedOn')} rules={[{ required: true }]}>
            <Input type="date" max={today()} />
          </Form.Item>
          <Form.Item name="durationMinutes" label={t('pairing.duration')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1440} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="met" label={t('pairing.met')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="situation" label={t('pairing.situation')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
          <Form.List name="needs">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8} style={{ marginBottom: 16 }}>
                {fields.map((field) => (
                  <Flex key={field.key} vertical gap={4} style={{ border: '1px solid #f0f0f0', padding: 8, borderRadius: 6 }}>
                    <Form.Item name={[field.name, 'needType']} label={t('pairing.needType')} rules={[{ required: true }]} style={{ marginBottom: 4 }}>
                      <Select options={NEED_TYPES.map((type) => ({ value: type, label: t(`pairing.need.${type}`) }))} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'description']} label={t('pairing.needDescription')} rules={[{ required: true, min: 2 }]} style={{ marginBottom: 4 }}>
                      <Input.TextArea rows={2} maxLength={2000} />
                    </Form.Item>
                    <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(field.name)}>
                      {t('pairing.removeNeed')}
                    </Button>
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ needType: 'medical', description: '' })} block>
                  {t('pairing.addNeed')}
                </Button>
                {fields.length > 0 && (
                  <Form.Item label={t('pairing.photos')} htmlFor="visit-photos" style={{ marginBottom: 0 }}>
                    <PhotoPicker uploads={photos} id="visit-photos" />
                  </Form.Item>
                )}
              </Flex>
            )}
          </Form.List>
          <ProblemAlert error={error} style={{ marginBottom: 12 }} />
          <Button type="primary" htmlType="submit" loading={saving} disabled={photos.busy} block size="large">
            {t('pairing.saveVisit')}
          </Button>
        </Form>
      )}
    </div>
  );
}
