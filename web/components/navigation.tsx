import { AlertOutlined, ApartmentOutlined, AuditOutlined, BankOutlined, FileSearchOutlined, SafetyCertificateOutlined, BarsOutlined, BranchesOutlined, CloudUploadOutlined, CommentOutlined, EnvironmentOutlined, FieldNumberOutlined, FireOutlined, HeartOutlined, HomeOutlined, InboxOutlined, MailOutlined, MergeCellsOutlined, ProfileOutlined, SnippetsOutlined, SolutionOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Me, Role } from '../../contracts/platform.ts';
import type { MessageKey } from '../i18n/i18n.tsx';

/** Every page of the staff console that appears in the side menu. */
export type PageKey =
  | 'home'
  | 'submit'
  | 'track'
  | 'myMessages'
  | 'triage'
  | 'joinProposals'
  | 'hotIssues'
  | 'pairing'
  | 'myHouseholds'
  | 'projects'
  | 'procurement'
  | 'oversight'
  | 'publicProjects'
  | 'cases'
  | 'overdue'
  | 'routingRules'
  | 'replyTemplates'
  | 'plans'
  | 'deliveries'
  | 'regions'
  | 'departments'
  | 'users'
  | 'import'
  | 'audit'
  | 'account';

interface PageEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Only for users whose scope is the whole city (the server refuses district-scoped users). */
  cityWide?: boolean;
}

/** Where each page lives and how the menu shows it. */
export const PAGES: Record<PageKey, PageEntry> = {
  home: { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  submit: { path: '/submit', label: 'nav.submit', icon: <CommentOutlined /> },
  track: { path: '/track', label: 'nav.track', icon: <FieldNumberOutlined /> },
  myMessages: { path: '/my-messages', label: 'nav.myMessages', icon: <ProfileOutlined /> },
  triage: { path: '/triage', label: 'nav.triage', icon: <InboxOutlined /> },
  joinProposals: { path: '/join-proposals', label: 'nav.joinProposals', icon: <MergeCellsOutlined /> },
  hotIssues: { path: '/hot-issues', label: 'nav.hotIssues', icon: <FireOutlined /> },
  pairing: { path: '/pairing', label: 'nav.pairing', icon: <HeartOutlined /> },
  myHouseholds: { path: '/my-households', label: 'nav.myHouseholds', icon: <HeartOutlined /> },
  projects: { path: '/projects', label: 'nav.projects', icon: <BankOutlined /> },
  procurement: { path: '/procurement', label: 'nav.procurement', icon: <FileSearchOutlined /> },
  oversight: { path: '/oversight', label: 'nav.oversight', icon: <SafetyCertificateOutlined /> },
  publicProjects: { path: '/open/projects', label: 'nav.publicProjects', icon: <BankOutlined /> },
  cases: { path: '/cases', label: 'nav.cases', icon: <SolutionOutlined /> },
  overdue: { path: '/overdue', label: 'nav.overdue', icon: <AlertOutlined /> },
  routingRules: { path: '/routing-rules', label: 'nav.routingRules', icon: <BranchesOutlined /> },
  replyTemplates: { path: '/reply-templates', label: 'nav.replyTemplates', icon: <SnippetsOutlined /> },
  plans: { path: '/plans', label: 'nav.plans', icon: <BarsOutlined /> },
  deliveries: { path: '/deliveries', label: 'nav.deliveries', icon: <MailOutlined />, cityWide: true },
  regions: { path: '/regions', label: 'nav.regions', icon: <EnvironmentOutlined /> },
  departments: { path: '/departments', label: 'nav.departments', icon: <ApartmentOutlined /> },
  users: { path: '/users', label: 'nav.users', icon: <TeamOutlined /> },
  import: { path: '/import', label: 'nav.import', icon: <CloudUploadOutlined />, cityWide: true },
  audit: { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, cityWide: true },
  account: { path: '/account', label: 'nav.account', icon: <UserOutlined /> },
};

/**
 * The menu of each role, in display order. It is also the route guard: a
 * page not listed for a role shows 403. A new module adds its pages here.
 * The server decides access on its own; this table only keeps the UI honest.
 */
export const MENU: Record<Role, readonly PageKey[]> = {
  admin: ['home', 'hotIssues', 'pairing', 'projects', 'procurement', 'regions', 'departments', 'users', 'import', 'audit', 'deliveries', 'account'],
  coordinator: ['home', 'triage', 'joinProposals', 'hotIssues', 'pairing', 'cases', 'overdue', 'plans', 'projects', 'procurement', 'oversight', 'routingRules', 'replyTemplates', 'departments', 'users', 'deliveries', 'account'],
  handler: ['home', 'cases', 'plans', 'projects', 'oversight', 'replyTemplates', 'users', 'account'],
  auditor: ['home', 'audit', 'projects', 'procurement', 'oversight', 'plans', 'departments', 'users', 'account'],
  cadre: ['home', 'myHouseholds', 'account'],
  citizen: ['home', 'submit', 'track', 'publicProjects', 'myMessages', 'account'],
};

/** A user without a scope, or scoped to the city itself, acts city-wide. */
const isCityWide = (user: Me): boolean => user.scopeRegionId === null || user.scopeRegionId === user.city.id;

/** Whether the user's menu includes the page. */
export const mayOpen = (user: Me, page: PageKey): boolean =>
  MENU[user.role].includes(page) && (!PAGES[page].cityWide || isCityWide(user));

/** The user's menu: the role's pages, less those that need a city-wide scope the user lacks. */
export const menuOf = (user: Me): PageKey[] => MENU[user.role].filter((page) => mayOpen(user, page));

/** Who may open a case page (/cases/:id): staff with the inbox, and citizens for their own messages. */
export const mayOpenCase = (user: Me): boolean => mayOpen(user, 'cases') || mayOpen(user, 'myMessages');

/** Only admins change the organisation (regions, departments, users); others read it. */
export const mayManageOrganisation = (role: Role): boolean => role === 'admin';
