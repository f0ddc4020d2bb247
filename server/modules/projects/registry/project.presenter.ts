import type { FindingView, FlagView, ProcurementSummaryView, ProjectDetailView, ProjectSummaryView, PublicProjectSummaryView, PublicProjectView, RectificationView } from '../../../../contracts/projects.ts';
import type { Finding, Rectification } from '../findings/finding.repository.ts';
import type { ProcessSummary, StoredFlag } from '../procurement/procurement.repository.ts';
import type { ProjectRow } from './project.repository.ts';
import type { ProjectDetail, getPublicProject } from './project.service.ts';

/** The one place project responses are shaped. */

const round2 = (value: number): number => Math.round(value * 100) / 100;

export const presentSummary = (project: ProjectRow): ProjectSummaryView => ({
  id: project.id,
  code: project.code,
  name: project.name,
  category: project.category,
  leadDepartmentId: project.leadDepartmentId,
  leadDepartment: project.leadDepartment,
  districtId: project.districtId,
  district: project.district,
  location: project.location,
  latitude: project.latitude,
  longitude: project.longitude,
  beneficiaries: project.beneficiaries,
  status: project.status,
  progress: project.progress,
  year: project.year,
  plannedStart: project.plannedStart,
  plannedEnd: project.plannedEnd,
  money: { planned: round2(project.planned), contracted: round2(project.contracted), paid: round2(project.paid), paidOverContract: project.contracted > 0 && project.paid > project.contracted + 0.005 },
  openFindings: project.openFindings,
  flags: project.flags,
  version: project.version,
});

export const presentPublicSummary = (project: ProjectRow): PublicProjectSummaryView => {
  const { version: _version, flags: _flags, leadDepartmentId: _lead, districtId: _district, ...rest } = presentSummary(project);
  return rest;
};

/** Days are compared as ISO strings; `today` comes from the caller's clock. */
export const presentRectification = (item: Rectification, today: string): RectificationView => ({
  id: item.id,
  findingId: item.findingId,
  findingTitle: item.findingTitle,
  projectId: item.projectId,
  description: item.description,
  ownerDepartmentId: item.ownerDepartmentId,
  ownerDepartment: item.ownerDepartment,
  dueDate: item.dueDate,
  evidence: item.evidence,
  status: item.status,
  signedOffAt: item.signedOffAt?.toISOString() ?? null,
  overdue: item.status !== 'signed_off' && item.dueDate < today,
  version: item.version,
});

export const presentFinding = (finding: Finding & { rectifications: Rectification[] }, today: string): FindingView => ({
  id: finding.id,
  projectId: finding.projectId,
  projectName: finding.projectName,
  ocid: finding.ocid,
  flagId: finding.flagId,
  type: finding.type,
  title: finding.title,
  description: finding.description,
  foundOn: finding.foundOn,
  status: finding.status,
  rectifications: finding.rectifications.map((item) => presentRectification(item, today)),
  version: finding.version,
});

export const presentProcess = (process: ProcessSummary): ProcurementSummaryView => ({
  ocid: process.ocid,
  title: process.title,
  buyerName: process.buyerName,
  tenderAmount: process.tenderAmount,
  contractAmount: process.contractAmount,
  paidAmount: process.paidAmount,
  currency: process.currency,
  releaseCount: process.releaseCount,
  projectId: process.projectId,
  flags: process.flags,
  updatedAt: process.updatedAt.toISOString(),
});

export const presentFlag = (flag: StoredFlag & { explanation: { zh: string; en: string } }): FlagView => ({
  id: flag.id,
  ocid: flag.ocid,
  indicator: flag.indicator,
  subjectKind: flag.subjectKind,
  subjectId: flag.subjectId,
  subjectName: flag.subjectName,
  value: flag.value,
  threshold: flag.threshold,
  peers: flag.peers,
  settingsVersion: flag.settingsVersion,
  explanation: flag.explanation,
  projectId: flag.projectId,
});

export const presentDetail = (detail: ProjectDetail, today: string): ProjectDetailView => ({
  ...presentSummary(detail.project),
  description: detail.project.description,
  coDepartments: detail.coDepartments,
  areas: detail.areas,
  budgetLines: detail.budgetLines.map((line) => ({ ...line })),
  payments: detail.payments.map((payment) => ({ ...payment })),
  milestones: detail.milestones.map((milestone) => ({ ...milestone })),
  updates: detail.updates.map((update) => ({ id: update.id, milestoneId: update.milestoneId, progress: update.progress, note: update.note, createdAt: update.createdAt.toISOString() })),
  findings: detail.findings.map((finding) => presentFinding(finding, today)),
  linkedCases: detail.caseIds.map((caseId) => {
    const brief = detail.cases.find((row) => row.id === caseId);
    return { caseId, number: brief?.number ?? null, title: brief?.title ?? null, state: brief?.state ?? null };
  }),
  planItemIds: detail.planItemIds,
  linkedPlanItems: detail.planItemIds.map((planItemId) => {
    const item = detail.planItems.find((row) => row.id === planItemId);
    return { planItemId, planId: item?.planId ?? null, planTitle: item?.planTitle ?? null, title: item?.title ?? null, status: item?.status ?? null };
  }),
  procurement: detail.procurement.map(presentProcess),
  flagList: detail.flags.map(presentFlag),
  allowed: detail.allowed,
});

export const presentPublic = (view: Awaited<ReturnType<typeof getPublicProject>>): PublicProjectView => {
  const summary = presentPublicSummary(view.project);
  return {
    id: summary.id,
    code: summary.code,
    name: summary.name,
    category: summary.category,
    description: view.project.description,
    leadDepartment: summary.leadDepartment,
    district: summary.district,
    location: summary.location,
    latitude: summary.latitude,
    longitude: summary.longitude,
    beneficiaries: summary.beneficiaries,
    status: summary.status,
    progress: summary.progress,
    year: summary.year,
    plannedStart: summary.plannedStart,
    plannedEnd: summary.plannedEnd,
    money: summary.money,
    milestones: view.milestones.map((milestone) => ({ title: milestone.title, plannedDate: milestone.plannedDate, completedOn: milestone.completedOn, status: milestone.status })),
    openFindings: view.openFindings.map((finding) => ({ type: finding.type, title: finding.title, foundOn: finding.foundOn, status: finding.status, rectificationsDone: finding.done, rectificationsTotal: finding.total })),
  };
};
