import { Button, Card, Descriptions, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { getHousehold } from '../../api/pairing.ts';
import { useRemote } from '../../api/use-remote.ts';
import { mayOpen } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { StatusPage } from '../../components/status-page.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { HouseholdsTable } from './pairing.page.tsx';

/** Household pages are for cadres (their own) and for coordinators and admins (their area); the server decides which. */
function RequirePairing({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  return mayOpen(user, 'pairing') || mayOpen(user, 'myHouseholds') ? children : <StatusPage status={403} />;
}

/** 我的帮扶户: the cadre's own households, each opening to its page and visit form. */
export function MyHouseholdsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t('nav.myHouseholds')} />
      <Typography.Paragraph type="secondary">{t('pairing.myIntro')}</Typography.Paragraph>
      <HouseholdsTable mine />
    </>
  );
}

/** A household: its record, its contact when the reader may see it, its visits and its needs with their cases' progress. */
export function HouseholdPage() {
  return (
    <RequirePairing>
      <HouseholdDetail />
    </RequirePairing>
  );
}

function HouseholdDetail() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const user = useCurrentUser();
  const id = Number(useParams().id);
  const remote = useRemote((signal) => getHousehold(id, signal), [id]);
  const household = remote.data;
  return (
    <>
      <PageHeading title={household ? t('pairing.householdTitle', { code: household.code }) : t('pairing.household')} />
      <ProblemAlert error={remote.error} />
      {household && (
        <Flex vertical gap={16}>
          <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }} data-testid="household-facts">
            <Descriptions.Item label={t('pairing.community')}>{household.communityName}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.members')}>{household.members}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.difficulties')}>{household.difficulties.join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.needs')}>{household.needs.map((need) => <Tag key={need}>{need}</Tag>)}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.cadre')}>{household.cadre?.name ?? t('pairing.unpaired')}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.lastVisit')}>{household.lastVisit ?? t('pairing.never')}</Descriptions.Item>
            {household.contact && (
              <>
                <Descriptions.Item label={t('pairing.contactPhone')}>{household.contact.contactPhone ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('pairing.notes')}>{household.contact.notes ?? '—'}</Descriptions.Item>
              </>
            )}
          </Descriptions>
          {user.role === 'cadre' && (
            <Space>
              <Button type="primary" onClick={() => void navigate(`/pairing/households/${household.id}/visit`)}>
                {t('pairing.logVisit')}
              </Button>
            </Space>
          )}
          <Card size="small" title={t('pairing.needsAndCases')}>
            <List
              size="small"
              dataSource={household.needCases}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pairing.noNeeds')} /> }}
              renderItem={(need) => (
                <List.Item>
                  <Space wrap>
                    <Tag>{need.needType}</Tag>
                    <span>{need.description}</span>
                    {need.caseNumber && <Typography.Text code>{need.caseNumber}</Typography.Text>}
                    {need.caseState && <Tag color="blue" data-testid="need-case-state">{need.caseState}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={t('pairing.visits')}>
            <List
              size="small"
              dataSource={household.visits}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pairing.noVisits')} /> }}
              renderItem={(visit) => (
                <List.Item>
                  <Flex vertical>
                    <Typography.Text strong>
                      {visit.visitedOn} · {visit.cadreName} · {t('pairing.minutes', { n: visit.durationMinutes })} · {visit.met}
                    </Typography.Text>
                    <span>{visit.situation}</span>
                  </Flex>
                </List.Item>
              )}
            />
          </Card>
        </Flex>
      )}
    </>
  );
}
