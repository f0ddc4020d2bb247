import {
  AppError,
  assertAllowed,
  inTransaction,
  isAllowed,
  recordAudit,
  requireActor,
  type Actor,
  type PlatformDeps,
  type RequestContext,
  type Trx,
} from '../../../platform/index.ts';
import type { Cadre, HouseholdContact, Location } from '../pairing.ts';
import * as repository from './registry.repository.ts';
import { householdResource } from './registry.service.ts';

/**
 * One registry record entered or edited by hand (the coordinator's forms,
 * docs/pairing.md): a new cadre or household, a change, or a deactivation —
 * a cadre who leaves (their households come up for re-pairing in the next
 * run's diff) or a household no longer in difficulty (its pair ends in the
 * next run). The same checks as an import: coordinators and admins of the
 * record's district only, codes unique in the city, a community inside its
 * district, a username that is a cadre account. Edits carry the version they
 * were read at and are refused (409) when the record changed since. The
 * audit entry names the fields changed, never the contact phone's or notes'
 * values.
 */

/** A cadre's editable fields as the form sends them (`username` for the linked cadre account). */
export interface CadreInput {
  readonly name: string;
  readonly unit: string | null;
  readonly districtId: number;
  readonly location: Location;
  readonly capacity: number;
  readonly skills: readonly string[];
  readonly username: string | null;
  readonly active: boolean;
}

/** A household's editable fields; its district is its community's. */
export interface HouseholdInput extends HouseholdContact {
  readonly communityId: number;
  readonly location: Location;
  readonly difficulties: readonly string[];
  readonly needs: readonly string[];
  readonly members: number;
  readonly active: boolean;
}

export type CadreRecord = Cadre & { load: number; districtName: string; username: string | null };

const invalid = (path: string, message: string): AppError => new AppError('validation_failed', `${path}: ${message}`, { errors: [{ path, message }] });

/** The district, which must be one of the city and inside the actor's area (403 otherwise, like a run). */
async function districtFor(trx: Trx, actor: Actor, regionId: number, districtId: number): Promise<repository.PlaceRef> {
  const place = await repository.findPlace(trx, regionId, districtId);
  if (!place || place.level !== 'district') throw invalid('districtId', 'not a district of this city');
  assertAllowed(actor, 'pairing.manage', { kind: 'region', path: place.path });
  return place;
}

/** The community and its district, both checked like `districtFor`. */
async function communityFor(trx: Trx, actor: Actor, regionId: number, communityId: number): Promise<{ community: repository.PlaceRef; district: repository.PlaceRef }> {
  const community = await repository.findPlace(trx, regionId, communityId);
  if (!community || community.level !== 'community') throw invalid('communityId', 'not a community of this city');
  const districtId = Number(community.path.split('/').filter(Boolean)[1]);
  const district = await repository.findPlace(trx, regionId, districtId);
  if (!district || district.level !== 'district') throw invalid('communityId', 'the community lies in no district');
  assertAllowed(actor, 'pairing.manage', { kind: 'region', path: community.path });
  return { community, district };
}

async function cadreAccount(trx: Trx, regionId: number, username: string | null): Promise<number | null> {
  if (username === null) return null;
  const userId = (await repository.cadreUsersByName(trx, regionId)).get(username);
  if (userId === undefined) throw invalid('username', `no cadre account "${username}"`);
  return userId;
}

const changedFields = <T extends object>(before: T, after: T): string[] =>
  (Object.keys(after) as (keyof T)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).map(String);

async function cadreRecord(trx: Trx, regionId: number, id: number): Promise<CadreRecord> {
  const page = await repository.listCadres(trx, regionId, { scopePath: `/${regionId}/`, limit: 1, offset: 0, id });
  return page.items[0]!;
}

/** Adds one cadre (coordinators and admins of its district); its code must be new in the city (409 `duplicate`). */
export async function createCadre(deps: PlatformDeps, context: RequestContext, input: CadreInput & { code: string }): Promise<CadreRecord> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const regionId = context.regionId;
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    await districtFor(trx, actor, regionId, input.districtId);
    const userId = await cadreAccount(trx, regionId, input.username);
    if (await repository.findCadreByCode(trx, regionId, input.code)) throw new AppError('duplicate', `A cadre with code "${input.code}" already exists`);
    const { code, username: _username, ...rest } = input;
    const id = await repository.insertCadre(trx, regionId, code, { ...rest, skills: [...new Set(rest.skills)], userId }, now);
    await recordAudit(trx, context, { action: 'pairing_cadre.create', resourceType: 'pairing_cadre', resourceId: id, details: { code, districtId: input.districtId } }, now);
    return cadreRecord(trx, regionId, id);
  });
}

/**
 * Changes one cadre: the fields given, at the version read (409
 * `version_conflict` when it changed since). A cadre outside the actor's area
 * answers 404; moving one into a district outside it, 403. `active: false`
 * is a cadre leaving: they are left out of the next run, which re-pairs
 * their households (the diff lists them as changed).
 */
export async function updateCadre(deps: PlatformDeps, context: RequestContext, id: number, patch: Partial<CadreInput> & { version: number }): Promise<CadreRecord> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const regionId = context.regionId;
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const existing = await repository.findCadre(trx, regionId, id);
    const home = existing && (await repository.findPlace(trx, regionId, existing.districtId));
    if (!existing || !home || !isAllowed(actor, 'pairing.manage', { kind: 'region', path: home.path })) throw new AppError('not_found', `No cadre ${id}`);
    const { version, username, ...fields } = patch;
    if (fields.districtId !== undefined && fields.districtId !== existing.districtId) await districtFor(trx, actor, regionId, fields.districtId);
    const userId = username === undefined ? existing.userId : await cadreAccount(trx, regionId, username);
    const before: repository.CadreFields = { name: existing.name, userId: existing.userId, unit: existing.unit, districtId: existing.districtId, location: existing.location, capacity: existing.capacity, skills: existing.skills, active: existing.active };
    const after: repository.CadreFields = { ...before, ...fields, skills: [...new Set(fields.skills ?? existing.skills)], userId };
    if (existing.version !== version || !(await repository.updateCadre(trx, regionId, id, after, now, version))) {
      throw new AppError('version_conflict', `Cadre ${existing.code} changed since you read it (version ${existing.version}, yours ${version}); reload and edit again`, { currentVersion: existing.version });
    }
    const changed = changedFields(before, after);
    const action = before.active && !after.active ? 'pairing_cadre.deactivate' : 'pairing_cadre.update';
    await recordAudit(trx, context, { action, resourceType: 'pairing_cadre', resourceId: id, details: { code: existing.code, fields: changed } }, now);
    return cadreRecord(trx, regionId, id);
  });
}

/** Adds one household (coordinators and admins of its community's district); its code must be new in the city. */
export async function createHousehold(deps: PlatformDeps, context: RequestContext, input: HouseholdInput & { code: string }): Promise<repository.HouseholdEntry> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const regionId = context.regionId;
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const { district } = await communityFor(trx, actor, regionId, input.communityId);
    if (await repository.findHouseholdRowByCode(trx, regionId, input.code)) throw new AppError('duplicate', `A household with code "${input.code}" already exists`);
    const { code, ...fields } = input;
    const id = await repository.insertHousehold(trx, regionId, code, { ...fields, districtId: district.id, difficulties: [...new Set(fields.difficulties)], needs: [...new Set(fields.needs)] }, now);
    await recordAudit(trx, context, { action: 'household.create', resourceType: 'household', resourceId: id, details: { code, communityId: input.communityId } }, now);
    const { contact: _contact, ...entry } = (await repository.findHouseholdEntry(trx, regionId, id))!;
    return entry;
  });
}

/**
 * Changes one household: the fields given, at the version read (409 when it
 * changed since). A household outside the actor's area answers 404, as its
 * page does; a cadre may not edit the registry at all (403). `active: false`
 * is a household no longer in difficulty: the next run ends its pair. The
 * audit entry names the fields changed (contact and notes by name only).
 */
export async function updateHousehold(deps: PlatformDeps, context: RequestContext, id: number, patch: Partial<HouseholdInput> & { version: number }): Promise<repository.HouseholdEntry> {
  const actor = requireActor(context);
  assertAllowed(actor, 'pairing.manage');
  const regionId = context.regionId;
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const existing = await repository.findHouseholdEntry(trx, regionId, id);
    if (!existing || !isAllowed(actor, 'pairing.manage', householdResource(existing.household, existing.cadre?.userId ?? null))) throw new AppError('not_found', `No household ${id}`);
    const { version, ...fields } = patch;
    const household = existing.household;
    let districtId = household.districtId;
    if (fields.communityId !== undefined && fields.communityId !== household.communityId) districtId = (await communityFor(trx, actor, regionId, fields.communityId)).district.id;
    const before: repository.HouseholdFields = {
      districtId: household.districtId,
      communityId: household.communityId,
      location: household.location,
      difficulties: household.difficulties,
      needs: household.needs,
      members: household.members,
      active: household.active,
      ...existing.contact,
    };
    const after: repository.HouseholdFields = {
      ...before,
      ...fields,
      districtId,
      difficulties: [...new Set(fields.difficulties ?? household.difficulties)],
      needs: [...new Set(fields.needs ?? household.needs)],
    };
    if (household.version !== version || !(await repository.updateHousehold(trx, regionId, id, after, now, version))) {
      throw new AppError('version_conflict', `Household ${household.code} changed since you read it (version ${household.version}, yours ${version}); reload and edit again`, { currentVersion: household.version });
    }
    const action = before.active && !after.active ? 'household.deactivate' : 'household.update';
    await recordAudit(trx, context, { action, resourceType: 'household', resourceId: id, details: { code: household.code, fields: changedFields(before, after) } }, now);
    const { contact: _contact, ...entry } = (await repository.findHouseholdEntry(trx, regionId, id))!;
    return entry;
  });
}
