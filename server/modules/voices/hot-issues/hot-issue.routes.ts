import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hotIssueQuerySchema, hotIssueReportSchema, type HotIssueReportView } from '../../../../contracts/hot-issues.ts';
import type { PlatformDeps } from '../../../platform/index.ts';
import { listHotIssues, type HotIssueReport } from './hot-issue.service.ts';

const round = (value: number): number => Math.round(value * 1000) / 1000;

function present(report: HotIssueReport): HotIssueReportView {
  return {
    generatedAt: report.generatedAt.toISOString(),
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    days: report.days,
    messages: report.messages,
    truncated: report.truncated,
    issues: report.issues.map((issue) => ({
      rank: issue.rank,
      heat: issue.heat,
      place: issue.place,
      title: issue.title,
      keyTerms: [...issue.keyTerms],
      size: issue.size,
      people: issue.people,
      firstAt: issue.firstAt.toISOString(),
      lastAt: issue.lastAt.toISOString(),
      growth: { ...issue.growth, expected: round(issue.growth.expected), ratio: round(issue.growth.ratio), probability: round(issue.growth.probability) },
      trend: issue.trend.map((point) => ({ ...point })),
      members: issue.members.map((member) => ({ ...member, submittedAt: member.submittedAt.toISOString() })),
    })),
    alerts: report.alerts.map((alert) => ({
      ...alert,
      expected: round(alert.expected),
      ratio: round(alert.ratio),
      periodStart: alert.periodStart.toISOString(),
      createdAt: alert.createdAt.toISOString(),
    })),
  };
}

/** HTTP adapter of hot issues: coordinators and admins, their scope's messages, no personal data. */
export function hotIssueRoutes(app: FastifyInstance, deps: PlatformDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/v1/hot-issues', {
    config: { access: 'hot_issue.read' },
    schema: {
      tags: ['hot-issues'],
      summary: 'Hot issues (热点问题) of your scope over the last N days: clusters about one problem at one place, hottest first, with their trend, members and the early-warning alerts sent (texts masked, no writers)',
      querystring: hotIssueQuerySchema,
      response: { 200: hotIssueReportSchema },
    },
  }, async (request) => present(await listHotIssues(deps, request.context, request.query)));
}
