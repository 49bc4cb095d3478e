// Listed by hand, not read from a folder, so bundling keeps them all. Append only.
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation';
import * as m0002 from './0002-identification';
import * as m0003 from './0003-programmes';
import * as m0004 from './0004-templates';
import * as m0005 from './0005-payments-archive';
import * as m0006 from './0006-money-path';
import * as m0007 from './0007-audit';
import * as m0008 from './0008-funds-meals';
import * as m0009 from './0009-county-findings';
import * as m0010 from './0010-education-complaints';
import * as m0011 from './0011-follow-up';
import * as m0012 from './0012-student-search';
import * as m0013 from './0013-member-schools';
import * as m0014 from './0014-search-hashsize';
import * as m0015 from './0015-search-keys';
import * as m0016 from './0016-school-quotas';
import * as m0017 from './0017-meal-days-per-school';
import * as m0018 from './0018-year-indexes';

export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-identification': m0002,
  '0003-programmes': m0003,
  '0004-templates': m0004,
  '0005-payments-archive': m0005,
  '0006-money-path': m0006,
  '0007-audit': m0007,
  '0008-funds-meals': m0008,
  '0009-county-findings': m0009,
  '0010-education-complaints': m0010,
  '0011-follow-up': m0011,
  '0012-student-search': m0012,
  '0013-member-schools': m0013,
  '0014-search-hashsize': m0014,
  '0015-search-keys': m0015,
  '0016-school-quotas': m0016,
  '0017-meal-days-per-school': m0017,
  '0018-year-indexes': m0018,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
