import type { Client } from './contract';
import { archiveApi } from './archive';
import { auditApi } from './audit';
import { backupApi } from './backup';
import { boardApi } from './board';
import { deskApi } from './desk';
import { exportsApi } from './exports';
import { fundsApi } from './funds';
import { inKindApi } from './in-kind';
import { householdsApi } from './households';
import { countyFindingsApi } from './county-findings';
import { noticesApi } from './notices';
import { educationApi } from './education';
import { identificationApi } from './identification';
import { listsApi } from './lists';
import { mealsApi } from './meals';
import { paymentsApi } from './payments';
import { programmesApi } from './programmes';
import { publicityApi } from './publicity';
import { rosterApi } from './roster';
import { schoolApi } from './school';
import { statsApi } from './stats';
import { studentsApi } from './students';
import { surveysApi } from './surveys';
import { uploadsApi } from './uploads';

/** Every message the core answers. A call that is not here does not exist. */
export const api = {
  ...schoolApi,
  ...studentsApi,
  ...rosterApi,
  ...uploadsApi,
  ...surveysApi,
  ...identificationApi,
  ...publicityApi,
  ...listsApi,
  ...programmesApi,
  ...exportsApi,
  ...paymentsApi,
  ...fundsApi,
  ...mealsApi,
  ...inKindApi,
  ...householdsApi,
  ...countyFindingsApi,
  ...noticesApi,
  ...educationApi,
  ...archiveApi,
  ...statsApi,
  ...backupApi,
  ...boardApi,
  ...deskApi,
  ...auditApi,
};
export type Api = typeof api;
export type MessageName = keyof Api & string;
export type ApiClient = Client<Api>;

export function isMessageName(name: string): name is MessageName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export * from './contract';

/** What an area function receives for a message: the arguments after the contract parsed them. */
export type CallArgs<K extends MessageName> = import('./contract').ParsedArgsOf<Api[K]>;
