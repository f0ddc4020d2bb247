import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  List,
  Row,
  Space,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useEffect, useMemo, useState, type Key } from 'react';
import type { Region } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { listRegions } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { mayManageOrganisation } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import { CreateRegionModal, EditRegionModal } from './region-form.tsx';

/** Children are loaded a level at a time; a street rarely has more communities than this. */
const CHILDREN_LIMIT = 500;
const ROOT = 'root';
type ParentKey = number | typeof ROOT;

const parentKeyOf = (region: Region): ParentKey => region.parentId ?? ROOT;

async function loadLevel(parent: ParentKey): Promise<Region[]> {
  const page = await listRegions(
    parent === ROOT ? { level: 'city', limit: CHILDREN_LIMIT } : { parentId: parent, limit: CHILDREN_LIMIT },
  );
  return page.items;
}

/**
 * The loaded part of the region tree, keyed by parent. Only expanded
 * branches are fetched: a city has tens of thousands of communities.
 */
function useRegionTree() {
  const [children, setChildren] = useState<Map<ParentKey, Region[]>>(new Map());
  const [error, setError] = useState<ApiError>();

  const load = useCallback(async (parent: ParentKey) => {
    try {
      const regions = await loadLevel(parent);
      setChildren((previous) => new Map(previous).set(parent, regions));
      return regions;
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      return [];
    }
  }, []);

  useEffect(() => {
    void load(ROOT);
  }, [load]);

  /** Puts a changed region in place, keeping its branch. */
  const replace = useCallback((region: Region) => {
    setChildren((previous) => {
      const next = new Map(previous);
      const siblings = next.get(parentKeyOf(region)) ?? [];
      next.set(
        parentKeyOf(region),
        siblings.map((sibling) => (sibling.id === region.id ? region : sibling)),
      );
      return next;
    });
  }, []);

  return { children, error, load, replace };
}

function RegionTitle({ region }: { region: Region }) {
  const { t, lang } = useI18n();
  return (
    <Space size={6}>
      <span>{localName(lang, region)}</span>
      <Typography.Text type="secondary">{region.code}</Typography.Text>
      {!region.active && <Tag>{t('common.inactive')}</Tag>}
    </Space>
  );
}

function toNodes(children: Map<ParentKey, Region[]>, parent: ParentKey): DataNode[] {
  return (children.get(parent) ?? []).map((region) => ({
    key: region.id,
    title: <RegionTitle region={region} />,
    isLeaf: region.childCount === 0,
    children: children.has(region.id) ? toNodes(children, region.id) : undefined,
  }));
}

function findRegion(children: Map<ParentKey, Region[]>, id: number): Region | undefined {
  for (const regions of children.values()) {
    const found = regions.find((region) => region.id === id);
    if (found) return found;
  }
  return undefined;
}

/** Everything known about one region, and (for admins) the buttons to change it. */
function RegionDetails(props: { region: Region; canManage: boolean; onEdit: () => void; onAddChild: () => void }) {
  const { region, canManage, onEdit, onAddChild } = props;
  const { t, lang } = useI18n();
  return (
    <Card
      title={<h2 className="card-heading">{localName(lang, region)}</h2>}
      extra={
        canManage && (
          <Space wrap>
            <Button icon={<EditOutlined />} onClick={onEdit}>
              {t('common.edit')}
            </Button>
            {region.level !== 'community' && (
              <Button icon={<PlusOutlined />} type="primary" onClick={onAddChild}>
                {t('regions.addChild')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('regions.code')}>{region.code}</Descriptions.Item>
        <Descriptions.Item label={t('regions.level')}>{t(`level.${region.level}`)}</Descriptions.Item>
        <Descriptions.Item label={t('regions.name')}>{region.name}</Descriptions.Item>
        <Descriptions.Item label={t('regions.nameEn')}>{region.nameEn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('regions.centroid')}>
          {region.centroid ? `${region.centroid[0]}, ${region.centroid[1]}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('regions.boundary')}>
          {region.hasBoundary ? t('common.yes') : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('regions.childCount')}>{region.childCount}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          {region.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** Search results replace the tree while a query is typed in. */
function RegionSearchResults({ q, onPick }: { q: string; onPick: (region: Region) => void }) {
  const { t, lang } = useI18n();
  const results = useRemote((signal) => listRegions({ q, limit: 50 }, signal), [q]);
  return (
    <>
      <ProblemAlert error={results.error} />
      <List<Region>
        size="small"
        loading={results.loading}
        dataSource={results.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('common.noResults')} /> }}
        renderItem={(region) => (
          <List.Item>
            <Button type="link" onClick={() => onPick(region)} style={{ padding: 0, height: 'auto' }}>
              {localName(lang, region)} · {region.code}
            </Button>
            <Tag>{t(`level.${region.level}`)}</Tag>
          </List.Item>
        )}
      />
    </>
  );
}

/** Browse the city › district › street › community tree; admins add and edit regions. */
export function RegionsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const canManage = mayManageOrganisation(user.role);
  const tree = useRegionTree();
  const [picked, setPicked] = useState<Region>();
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [q, setQ] = useState('');
  const [creatingIn, setCreatingIn] = useState<Region>();
  const [editing, setEditing] = useState<Region>();

  const nodes = useMemo(() => toNodes(tree.children, ROOT), [tree.children]);
  const city = tree.children.get(ROOT)?.[0];

  // The tree's copy is the freshest; a region picked from search results may not be loaded in the tree.
  const selected = picked && (findRegion(tree.children, picked.id) ?? picked);

  useEffect(() => {
    // Open the city at first, so its districts show without a click.
    if (city) setExpanded((keys) => (keys.length === 0 ? [city.id] : keys));
  }, [city]);

  const reloadAround = async (region: Region) => {
    const siblings = await tree.load(parentKeyOf(region));
    const fresh = siblings.find((sibling) => sibling.id === region.id);
    if (fresh) setPicked(fresh);
  };

  const created = async (region: Region) => {
    message.success(t('regions.created', { name: region.name }));
    if (region.parentId !== null) {
      const parent = findRegion(tree.children, region.parentId);
      if (parent) await reloadAround(parent);
      await tree.load(region.parentId);
      setExpanded((keys) => [...new Set([...keys, region.parentId as number])]);
    }
  };

  return (
    <>
      <PageHeading title={t('nav.regions')} />
      <Input.Search
        aria-label={t('regions.search')}
        placeholder={t('regions.searchPlaceholder')}
        allowClear
        enterButton={t('common.search')}
        onSearch={(value) => setQ(value.trim())}
        style={{ maxWidth: 420, marginBottom: 16 }}
      />
      <ProblemAlert error={tree.error} style={{ marginBottom: 16 }} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={<h2 className="card-heading">{q ? t('regions.results') : t('regions.tree')}</h2>}>
            {q ? (
              <RegionSearchResults q={q} onPick={setPicked} />
            ) : (
              <Tree
                aria-label={t('regions.tree')}
                treeData={nodes}
                loadData={async (node) => {
                  await tree.load(Number(node.key));
                }}
                expandedKeys={expanded}
                onExpand={(keys) => setExpanded(keys)}
                selectedKeys={selected ? [selected.id] : []}
                onSelect={(_keys, { node }) => {
                  const region = findRegion(tree.children, Number(node.key));
                  if (region) setPicked(region);
                }}
                showLine
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          {selected ? (
            <RegionDetails
              region={selected}
              canManage={canManage}
              onEdit={() => setEditing(selected)}
              onAddChild={() => setCreatingIn(selected)}
            />
          ) : (
            <Card>
              <Flex justify="center">
                <Typography.Text type="secondary">{t('regions.pickOne')}</Typography.Text>
              </Flex>
            </Card>
          )}
        </Col>
      </Row>
      <CreateRegionModal parent={creatingIn} onClose={() => setCreatingIn(undefined)} onCreated={created} />
      <EditRegionModal
        region={editing}
        onClose={() => setEditing(undefined)}
        onSaved={(region) => {
          tree.replace(region);
          setPicked(region);
        }}
        onConflict={() => editing && void reloadAround(editing)}
      />
    </>
  );
}
