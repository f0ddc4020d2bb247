/**
 * The projects module's public face: livelihood projects (民生工程) — the
 * registry, money, milestones and progress — with inspections, audit findings
 * and rectification, and procurement oversight over OCDS data (imports,
 * compiled releases, red flags). Everything else in this folder is private to it.
 */
export { projectRoutes } from './registry/project.routes.ts';
export { findingRoutes } from './findings/finding.routes.ts';
export { procurementRoutes } from './procurement/procurement.routes.ts';
export { procurementCommands } from './procurement/procurement.cli.ts';
export { exportProjectProcurement, importOcds, recompile, recomputeFlags, saveIndicatorSettings, type ImportProgress, type ImportReport } from './procurement/procurement.service.ts';
export {
  addBudgetLine,
  addMilestone,
  addPayment,
  createProject,
  getProject,
  linkToProject,
  listProjects,
  reportProgress,
  seedProjects,
  updateMilestone,
  updateProject,
  type ProjectDetail,
  type ProjectRow,
  type ProjectSeed,
} from './registry/project.service.ts';
export { addRectification, listFindings, listRectifications, openFinding, updateFinding, updateRectification, type FindingWithItems } from './findings/finding.service.ts';
