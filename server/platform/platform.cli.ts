import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importKindSchema, passwordSchema, roleSchema } from '../../contracts/platform.ts';
import { verifyAudit } from './audit/audit.service.ts';
import { UsageError, cliContext, openDeps, withDeps, type CliCommand } from './cli/cli-command.ts';
import { migrateToLatest } from './database/migrate.ts';
import { AppError } from './errors.ts';
import { importOrganisation } from './imports/import.service.ts';
import { findDepartmentByCode, findRegionByCode, findUserByUsername } from './organisation/organisation.repository.ts';
import { createUser, listUsers, resetPassword, updateUser } from './organisation/user.service.ts';

const city = { city: { type: 'string' } } as const;
const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** Reads a secret from a flag or, when the flag is `-`, from standard input (keeps it out of shell history). */
function secretFrom(value: string | undefined, name: string): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value === '-' ? readFileSync(0, 'utf8').trim() : value;
}

/** The platform's commands: migrate, import, users, audit verify. */
export const platformCommands: CliCommand[] = [
  {
    name: 'migrate',
    summary: 'Apply pending database migrations',
    usage: 'minxin migrate',
    options: {},
    async run(_args, io) {
      const deps = await openDeps(io);
      try {
        const applied = await migrateToLatest(deps.db);
        io.stdout(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`);
      } finally {
        await deps.handle.close();
      }
    },
  },
  {
    name: 'import',
    summary: 'Bulk-import regions, departments or users from CSV, XLSX or JSONL',
    usage: 'minxin import <regions|departments|users> <file> [--skip-invalid] [--city CODE]',
    options: { 'skip-invalid': { type: 'boolean' }, ...city },
    async run({ values, positionals }, io) {
      const [kindText, file] = positionals;
      const kind = importKindSchema.safeParse(kindText);
      if (!kind.success || !file) throw new UsageError('name what to import (regions, departments or users) and the file');
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const report = await importOrganisation(deps, context, kind.data, { path: path.resolve(io.cwd, file), filename: file }, { skipInvalid: values['skip-invalid'] === true });
        for (const problem of report.rejected) io.stderr(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} (skipped)`);
        io.stdout(`${report.file}: ${report.rows} rows, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`);
      });
    },
  },
  {
    name: 'users list',
    summary: 'List accounts (no contact details)',
    usage: 'minxin users list [--role ROLE] [--city CODE]',
    options: { role: { type: 'string' }, ...city },
    async run({ values }, io) {
      const role = values.role === undefined ? undefined : roleSchema.safeParse(values.role);
      if (role && !role.success) throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}`);
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const page = await listUsers(deps, context, role ? { role: role.data } : {}, { limit: 500, offset: 0 });
        for (const user of page.items) {
          io.stdout([user.username, user.role, user.displayName, user.departmentName ?? '-', user.scopeRegionName ?? '-', user.active ? 'active' : 'disabled'].join('\t'));
        }
      });
    },
  },
  {
    name: 'users create',
    summary: 'Create an account (password from --password, or - to read it from stdin)',
    usage: 'minxin users create --username NAME --display-name NAME --role ROLE --password PW|- [--department CODE] [--scope REGION_CODE] [--city CODE]',
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      department: { type: 'string' },
      scope: { type: 'string' },
      ...city,
    },
    async run({ values }, io) {
      const role = roleSchema.safeParse(values.role);
      if (!role.success) throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}`);
      const username = text(values.username);
      const displayName = text(values['display-name']);
      if (!username || !displayName) throw new UsageError('--username and --display-name are required');
      const password = passwordSchema.safeParse(secretFrom(text(values.password), 'password'));
      if (!password.success) throw new AppError('validation_failed', `password: ${password.error.issues[0]?.message ?? 'invalid'}`);
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const department = text(values.department) && (await findDepartmentByCode(deps.db, context.regionId, text(values.department)!));
        if (text(values.department) && !department) throw new AppError('not_found', `No department has code ${text(values.department)}`);
        const scope = text(values.scope) && (await findRegionByCode(deps.db, context.regionId, text(values.scope)!));
        if (text(values.scope) && !scope) throw new AppError('not_found', `No region has code ${text(values.scope)}`);
        const user = await createUser(
          deps,
          context,
          {
            username,
            displayName,
            role: role.data,
            password: password.data,
            departmentId: department ? department.id : undefined,
            scopeRegionId: scope ? scope.id : undefined,
          },
          { mustChangePassword: false },
        );
        io.stdout(`Created ${user.username} (${user.role}), id ${user.id}`);
      });
    },
  },
  {
    name: 'users set-password',
    summary: 'Set a temporary password (the user must change it at next login)',
    usage: 'minxin users set-password <username> --password PW|- [--city CODE]',
    options: { password: { type: 'string' }, ...city },
    async run({ values, positionals }, io) {
      const username = positionals[0];
      if (!username) throw new UsageError('name the user');
      const password = passwordSchema.safeParse(secretFrom(text(values.password), 'password'));
      if (!password.success) throw new AppError('validation_failed', `password: ${password.error.issues[0]?.message ?? 'invalid'}`);
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const user = await findUserByUsername(deps.db, context.regionId, username);
        if (!user) throw new AppError('not_found', `No user is called ${username}`);
        await resetPassword(deps, context, user.id, password.data);
        io.stdout(`Password of ${username} set; it must be changed at next login.`);
      });
    },
  },
  {
    name: 'users unlock',
    summary: 'Clear a lockout after too many failed logins',
    usage: 'minxin users unlock <username> [--city CODE]',
    options: { ...city },
    async run({ values, positionals }, io) {
      const username = positionals[0];
      if (!username) throw new UsageError('name the user');
      return withDeps(io, async (deps) => {
        const context = await cliContext(deps, text(values.city));
        const user = await findUserByUsername(deps.db, context.regionId, username);
        if (!user) throw new AppError('not_found', `No user is called ${username}`);
        await updateUser(deps, context, user.id, { version: user.version, unlock: true });
        io.stdout(`${username} unlocked.`);
      });
    },
  },
  {
    name: 'audit verify',
    summary: 'Walk every hash chain of the audit log; exit 1 naming the first broken entry and its chain',
    usage: 'minxin audit verify [--city CODE]',
    options: { ...city },
    async run({ values }, io) {
      return withDeps(io, async (deps) => {
        const regionId = text(values.city) === undefined ? undefined : (await cliContext(deps, text(values.city))).regionId;
        const result = await verifyAudit(deps.db, regionId);
        if (result.ok) {
          io.stdout(`Audit log intact: ${result.checked} entries verified.`);
          return 0;
        }
        const broken = result.firstBroken!;
        io.stderr(`Audit log broken: city ${broken.regionId}, chain ${broken.chain}, entry ${broken.seq} (${broken.reason.replaceAll('_', ' ')}); ${result.checked} entries before it verified.`);
        return 1;
      });
    },
  },
];
