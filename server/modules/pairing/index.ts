/**
 * The pairing module's public face (结对帮扶, docs/pairing.md): the registry
 * of cadres and households in difficulty, the optimiser's runs with their
 * diff and approval, visits whose needs become voices cases, the coverage
 * board and public statistics. Everything else in this folder is private.
 */
export { pairingRoutes } from './pairing.routes.ts';
export { registryCommands } from './registry/registry.cli.ts';
export { importRegistry, getHousehold, listHouseholds, listCadres, seedRegistry, linkCadreAccount, type RegistryImportReport, type HouseholdDetail, type RegistrySeed } from './registry/registry.service.ts';
export { proposeRun, requestRun, computeRun, approveRun, rejectRun, getRun, listRuns, failOrphanedRuns, startPairingRunSweepJob, type RunRequest } from './runs/run.service.ts';
export type { PairingRun } from './runs/run.repository.ts';
export { logVisit, coverageBoard, publicStatistics, seedVisits, type HistoricalVisit, type VisitInput, type VisitReceipt } from './visits/visit.service.ts';
export { diffPairs, type PairingDiff } from './pairing.ts';
export { remindCadres, startPairingReminderJob, type ReminderRunReport } from './reminders/reminder.service.ts';
