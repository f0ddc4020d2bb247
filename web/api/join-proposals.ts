import type {
  JoinProposalDecision,
  JoinProposalDecisionResult,
  JoinProposalListView,
  JoinProposalStatus,
  JoinProposalView,
  JoinReasons,
} from '../../contracts/join-proposals.ts';
import { api } from './client.ts';

export type { JoinProposalDecisionResult, JoinProposalListView, JoinProposalStatus, JoinProposalView, JoinReasons };

const BASE = '/api/v1/join-proposals';

/** Near-duplicate join proposals in the coordinator's scope (open ones best score first) and the city's threshold. */
export const listJoinProposals = (
  query: { status: JoinProposalStatus; caseId?: number; limit: number; offset: number },
  signal?: AbortSignal,
): Promise<JoinProposalListView> => api.get(BASE, query, signal);

/** Merges the new case into the matched one (并案); 409 when decided already or a case has moved on. */
export const confirmJoinProposal = (id: number, body: JoinProposalDecision): Promise<JoinProposalDecisionResult> =>
  api.post(`${BASE}/${id}/confirm`, body);

/** Leaves both cases as they are; the decision tunes the city's threshold. */
export const rejectJoinProposal = (id: number, body: JoinProposalDecision): Promise<JoinProposalDecisionResult> =>
  api.post(`${BASE}/${id}/reject`, body);
