import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppShell } from './components/app-shell.tsx';
import { PageLoading, RequireCase, RequirePage, RequireSession } from './components/guards.tsx';
import type { PageKey } from './components/navigation.tsx';
import { VoicesFrame } from './features/voices/public-frame.tsx';
import { StatusPage } from './components/status-page.tsx';

/** Loads a page's code only when it is first visited, keeping the first load small. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const LoginPage = lazyPage(() => import('./features/platform/login.page.tsx'), 'LoginPage');
const RegisterPage = lazyPage(() => import('./features/platform/register.page.tsx'), 'RegisterPage');
const HomePage = lazyPage(() => import('./features/platform/home.page.tsx'), 'HomePage');
const AccountPage = lazyPage(() => import('./features/platform/account.page.tsx'), 'AccountPage');
const ChangePasswordPage = lazyPage(() => import('./features/platform/change-password.page.tsx'), 'ChangePasswordPage');
const RegionsPage = lazyPage(() => import('./features/platform/regions.page.tsx'), 'RegionsPage');
const DepartmentsPage = lazyPage(() => import('./features/platform/departments.page.tsx'), 'DepartmentsPage');
const UsersPage = lazyPage(() => import('./features/platform/users.page.tsx'), 'UsersPage');
const ImportPage = lazyPage(() => import('./features/platform/import.page.tsx'), 'ImportPage');
const AuditPage = lazyPage(() => import('./features/platform/audit.page.tsx'), 'AuditPage');
const SubmitPage = lazyPage(() => import('./features/voices/submit.page.tsx'), 'SubmitPage');
const TrackLookupPage = lazyPage(() => import('./features/voices/track.page.tsx'), 'TrackLookupPage');
const TrackPage = lazyPage(() => import('./features/voices/track.page.tsx'), 'TrackPage');
const InboxPage = lazyPage(() => import('./features/voices/cases.page.tsx'), 'InboxPage');
const TriagePage = lazyPage(() => import('./features/voices/cases.page.tsx'), 'TriagePage');
const OverduePage = lazyPage(() => import('./features/voices/cases.page.tsx'), 'OverduePage');
const MyMessagesPage = lazyPage(() => import('./features/voices/cases.page.tsx'), 'MyMessagesPage');
const CasePage = lazyPage(() => import('./features/voices/case.page.tsx'), 'CasePage');
const RoutingRulesPage = lazyPage(() => import('./features/voices/routing-rules.page.tsx'), 'RoutingRulesPage');
const ReplyTemplatesPage = lazyPage(() => import('./features/voices/reply-templates.page.tsx'), 'ReplyTemplatesPage');
const PlansPage = lazyPage(() => import('./features/voices/plans.page.tsx'), 'PlansPage');
const DeliveriesPage = lazyPage(() => import('./features/voices/deliveries.page.tsx'), 'DeliveriesPage');
const JoinProposalsPage = lazyPage(() => import('./features/voices/join-proposals.page.tsx'), 'JoinProposalsPage');
const HotIssuesPage = lazyPage(() => import('./features/voices/hot-issues.page.tsx'), 'HotIssuesPage');
const ProjectsPage = lazyPage(() => import('./features/projects/projects.page.tsx'), 'ProjectsPage');
const ProjectPage = lazyPage(() => import('./features/projects/projects.page.tsx'), 'ProjectPage');
const ProcurementPage = lazyPage(() => import('./features/projects/procurement.page.tsx'), 'ProcurementPage');
const ProcessPage = lazyPage(() => import('./features/projects/procurement.page.tsx'), 'ProcessPage');
const OversightPage = lazyPage(() => import('./features/projects/oversight.page.tsx'), 'OversightPage');
const PublicProjectsPage = lazyPage(() => import('./features/projects/public-projects.page.tsx'), 'PublicProjectsPage');
const PublicProjectPage = lazyPage(() => import('./features/projects/public-projects.page.tsx'), 'PublicProjectPage');
const PairingPage = lazyPage(() => import('./features/pairing/pairing.page.tsx'), 'PairingPage');
const MyHouseholdsPage = lazyPage(() => import('./features/pairing/household.page.tsx'), 'MyHouseholdsPage');
const HouseholdPage = lazyPage(() => import('./features/pairing/household.page.tsx'), 'HouseholdPage');
const VisitPage = lazyPage(() => import('./features/pairing/visit.page.tsx'), 'VisitPage');

/** A menu page: only for the roles whose menu lists it (see navigation.tsx). */
const guarded = (page: PageKey, element: ReactNode) => <RequirePage page={page}>{element}</RequirePage>;

/** A page shown without the shell, to people who are not signed in yet. */
const publicPage = (element: ReactNode) => <Suspense fallback={<PageLoading />}>{element}</Suspense>;

/**
 * The app's URLs. /login and /register stand alone; the citizens' /submit and /track are public (in the
 * shell for a signed-in user); everything else sits in the shell and needs a session.
 */
export const router = createBrowserRouter([
  { path: '/login', element: publicPage(<LoginPage />) },
  { path: '/register', element: publicPage(<RegisterPage />) },
  {
    element: <VoicesFrame />,
    children: [
      { path: 'submit', element: <SubmitPage /> },
      { path: 'track', element: <TrackLookupPage /> },
      { path: 'track/:code', element: <TrackPage /> },
      { path: 'open/projects', element: <PublicProjectsPage /> },
      { path: 'open/projects/:id', element: <PublicProjectPage /> },
    ],
  },
  {
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'account', element: guarded('account', <AccountPage />) },
      { path: 'account/password', element: <ChangePasswordPage /> },
      { path: 'my-messages', element: guarded('myMessages', <MyMessagesPage />) },
      { path: 'cases', element: guarded('cases', <InboxPage />) },
      { path: 'cases/:id', element: <RequireCase><CasePage /></RequireCase> },
      { path: 'triage', element: guarded('triage', <TriagePage />) },
      { path: 'join-proposals', element: guarded('joinProposals', <JoinProposalsPage />) },
      { path: 'hot-issues', element: guarded('hotIssues', <HotIssuesPage />) },
      { path: 'projects', element: guarded('projects', <ProjectsPage />) },
      { path: 'projects/:id', element: guarded('projects', <ProjectPage />) },
      { path: 'procurement', element: guarded('procurement', <ProcurementPage />) },
      { path: 'procurement/:ocid', element: guarded('procurement', <ProcessPage />) },
      { path: 'oversight', element: guarded('oversight', <OversightPage />) },
      { path: 'pairing', element: guarded('pairing', <PairingPage />) },
      { path: 'my-households', element: guarded('myHouseholds', <MyHouseholdsPage />) },
      { path: 'pairing/households/:id', element: <HouseholdPage /> },
      { path: 'pairing/households/:id/visit', element: guarded('myHouseholds', <VisitPage />) },
      { path: 'overdue', element: guarded('overdue', <OverduePage />) },
      { path: 'routing-rules', element: guarded('routingRules', <RoutingRulesPage />) },
      { path: 'reply-templates', element: guarded('replyTemplates', <ReplyTemplatesPage />) },
      { path: 'plans', element: guarded('plans', <PlansPage />) },
      { path: 'deliveries', element: guarded('deliveries', <DeliveriesPage />) },
      { path: 'regions', element: guarded('regions', <RegionsPage />) },
      { path: 'departments', element: guarded('departments', <DepartmentsPage />) },
      { path: 'users', element: guarded('users', <UsersPage />) },
      { path: 'import', element: guarded('import', <ImportPage />) },
      { path: 'audit', element: guarded('audit', <AuditPage />) },
      { path: '*', element: <StatusPage status={404} /> },
    ],
  },
]);
