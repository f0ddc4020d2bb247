import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  joinProposalDecisionResultSchema,
  joinProposalDecisionSchema,
  joinProposalListQuerySchema,
  joinProposalListSchema,
  type JoinProposalDecisionResult,
  type JoinProposalView,
  type JoinReasons,
  type JoinThresholdView,
} from '../../../../contracts/join-proposals.ts';
import { idParamsSchema } from '../../../../contracts/platform.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import type { ListedCase, ProposalListing } from './near-duplicate.repository.ts';
import * as joins from './near-duplicate.service.ts';

const presentCase = (listed: ListedCase) => ({ ...listed, createdAt: listed.createdAt.toISOString() });

/** The stored reasons, filled out so that a proposal recorded with fewer (or none) still fits the contract. */
function presentReasons(raw: Record<string, unknown>): JoinReasons {
  const reasons = raw as Partial<JoinReasons>;
  return {
    text: reasons.text ?? 0,
    place: reasons.place ?? { score: 0, basis: 'unknown', shared: [], distanceKm: null },
    problem: reasons.problem ?? { score: 0, basis: 'terms', shared: [] },
    daysApart: reasons.daysApart ?? 0,
    candidates: reasons.candidates ?? 0,
    runnersUp: reasons.runnersUp ?? [],
  };
}

function presentProposal(listing: ProposalListing): JoinProposalView {
  return {
    id: listing.id,
    status: listing.status,
    score: listing.score,
    threshold: listing.threshold,
    reasons: presentReasons(listing.reasons),
    createdAt: listing.createdAt.toISOString(),
    decidedAt: listing.decidedAt && listing.decidedAt.toISOString(),
    decidedBy: listing.decidedBy,
    decisionNote: listing.decisionNote,
    message: { id: listing.messageId, ...listing.message, submittedAt: listing.message.submittedAt.toISOString() },
    case: presentCase(listing.case),
    matchedCase: { ...presentCase(listing.matchedCase), messages: listing.matchedCase.messages },
    matchedMessage: { id: listing.matchedMessageId, ...listing.matchedMessage, submittedAt: listing.matchedMessage.submittedAt.toISOString() },
  };
}

const presentThreshold = (threshold: joins.ThresholdState): JoinThresholdView => ({ ...threshold, learnedAt: threshold.learnedAt && threshold.learnedAt.toISOString() });

const presentDecision = (decision: joins.JoinDecision): JoinProposalDecisionResult => ({
  proposal: {
    id: decision.proposal.id,
    status: decision.proposal.status,
    decidedAt: decision.proposal.decidedAt && decision.proposal.decidedAt.toISOString(),
    decisionNote: decision.proposal.decisionNote,
  },
  threshold: presentThreshold(decision.threshold),
});

/** HTTP adapter of near-duplicate join proposals (并案建议): parse → one service call → present. */
export function joinProposalRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/join-proposals',
    {
      config: { access: 'join_proposal.read' },
      schema: {
        tags: ['voices'],
        summary: 'Near-duplicate join proposals in your scope (coordinators, admins): open ones best score first, with the reasons and the city’s learned threshold',
        querystring: joinProposalListQuerySchema,
        response: { 200: joinProposalListSchema },
      },
    },
    async (request) => {
      const { limit, offset, ...query } = request.query;
      const listed = await joins.listJoinProposals(deps, request.context, query, { limit, offset });
      return { items: listed.items.map(presentProposal), total: listed.total, limit, offset, threshold: presentThreshold(listed.threshold) };
    },
  );

  api.post(
    '/api/v1/join-proposals/:id/confirm',
    {
      config: { access: 'join_proposal.decide' },
      schema: {
        tags: ['voices'],
        summary: 'Confirm a join proposal: the new case is merged (并案) into the matched case and its requesters join it; 409 when decided already or a case has moved on',
        params: idParamsSchema,
        body: joinProposalDecisionSchema.default({}),
        response: { 200: joinProposalDecisionResultSchema },
      },
    },
    async (request) => presentDecision(await joins.confirmJoinProposal(deps, request.context, request.params.id, request.body)),
  );

  api.post(
    '/api/v1/join-proposals/:id/reject',
    {
      config: { access: 'join_proposal.decide' },
      schema: {
        tags: ['voices'],
        summary: 'Reject a join proposal: both cases stay as they are; the decision tunes the city’s threshold; 409 when decided already',
        params: idParamsSchema,
        body: joinProposalDecisionSchema.default({}),
        response: { 200: joinProposalDecisionResultSchema },
      },
    },
    async (request) => presentDecision(await joins.rejectJoinProposal(deps, request.context, request.params.id, request.body)),
  );
}
