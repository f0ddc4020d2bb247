import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDemoCity } from './demo-city.ts';
import { generateDemoProjects, loadDemoProcurement, loadDemoProjects } from './demo-projects.ts';
import { getProject, listFindings, listProjects } from '../modules/projects/index.ts';
import { provisionCity } from '../platform/index.ts';
import { buildDeps } from '../../test/factories.ts';

const NOW = new Date('2026-11-15T00:00:00Z');

test('the demo projects are deterministic, well formed and buy through the shipped procurement', () => {
  const demo = generateDemoCity(2026);
  const releases = loadDemoProcurement();
  const plans = generateDemoProjects(demo, releases, NOW);
  assert.deepEqual(generateDemoProjects(demo, releases, NOW), plans);
  assert.equal(plans.length, 200);
  assert.equal(new Set(plans.map((plan) => plan.code)).size, 200);
  const departments = new Set(demo.departments.map((department) => department.code));
  for (const plan of plans) {
    assert.ok(departments.has(plan.leadDepartmentCode), plan.leadDepartmentCode);
    assert.ok(plan.budgetLines.length >= 1 && plan.milestones.length === 4);
    assert.ok(plan.progress >= 0 && plan.progress <= 100);
    if (plan.status === 'completed') assert.equal(plan.progress, 100);
  }
  const ocids = new Set(releases.map((release) => release.ocid));
  const linked = plans.flatMap((plan) => plan.ocids);
  assert.ok(linked.length > 100 && linked.every((ocid) => ocids.has(ocid)));
  assert.equal(new Set(linked).size, linked.length, 'a process serves one project');
  assert.ok(plans.filter((plan) => plan.leadDepartmentCode === 'city-housing').length >= 12, 'the demo handler’s bureau leads projects');
  // The fixture carries no personal details: no e-mail addresses, no phone numbers, no foreign free text.
  const text = JSON.stringify(releases);
  assert.doesNotMatch(text, /@[a-z0-9-]+\.[a-z]{2,}|contactPoint|telephone|streetAddress/i);
});

test('loading the demo projects into a city stores projects, procurement with flags, and findings', async () => {
  const deps = await buildDeps();
  const generated = generateDemoCity(11);
  const code = `demo-projects-${Date.now() % 100000}`;
  // The demo city under a code of its own, so the shared test database's demo city (if any) is left alone.
  const regions = generated.regions.map((region) => (region.parentCode === generated.city.code ? { ...region, parentCode: code } : region));
  const demo = { ...generated, city: { ...generated.city, code }, regions: [{ ...generated.city, code }, ...regions.slice(1)] };
  const { regionId } = await provisionCity(deps, {
    city: { code, name: demo.city.name, nameEn: demo.city.nameEn, centroid: demo.city.centroid },
    regions: demo.regions.slice(1).map((region) => ({ code: region.code, name: region.name, nameEn: region.nameEn, level: region.level as 'district' | 'street' | 'community', parentCode: region.parentCode!, centroid: region.centroid })),
    departments: demo.departments,
    users: [],
  });
  const city = demo;
  const report = await loadDemoProjects(deps, city, NOW);
  assert.deepEqual([report.projects, report.releases, report.processes], [200, 711, 593]);
  assert.ok(report.flags > 0);
  assert.equal(report.findings, 5);
  const context = { actor: { regionId, userId: 0, username: 't', role: 'auditor' as const, departmentId: null, scopePath: `/${regionId}/`, via: 'cli' as const }, regionId, ip: null, requestId: null };
  const projects = await listProjects(deps, context, {});
  assert.equal(projects.length, 200);
  assert.ok(projects.some((project) => project.paid > project.contracted && project.contracted > 0), 'a project paid over its contracts');
  const findings = await listFindings(deps, context, {});
  assert.deepEqual(findings.map((finding) => finding.status).sort(), ['closed', 'rectifying', 'rectifying', 'rectifying', 'rectifying']);
  const flagged = projects.find((project) => project.flags > 0)!;
  assert.ok((await getProject(deps, context, flagged.id)).flags.every((flag) => flag.explanation.zh.length > 0));
});
