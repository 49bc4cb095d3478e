/** Row types as SQLite holds them. The UI never sees these: see the rowTo… functions beside each handler. */
import type { Generated } from 'kysely';

export interface SchoolRow {
  id: number;
  name: string;
  county: string;
  township: string;
  /** JSON array of stages. */
  stages: string;
  school_year: string;
  term: string;
  is_demo: 0 | 1;
  created_at: string;
  updated_at: string;
}

export interface SchoolClassRow {
  id: Generated<number>;
  stage: string;
  grade: string;
  grade_order: number;
  number: number | null;
  name: string;
  created_at: string;
}

export interface StudentRow {
  id: Generated<number>;
  name: string;
  id_number: string | null;
  student_number: string | null;
  sex: 'male' | 'female' | null;
  birth_date: string | null;
  ethnicity: string;
  hukou: 'rural' | 'urban' | null;
  address: string;
  guardian_name: string;
  guardian_phone: string;
  boarding: 0 | 1 | null;
  bank_card: string | null;
  class_id: number | null;
  status: 'enrolled' | 'left';
  left_reason: 'transferred' | 'graduated' | 'dropped' | null;
  left_on: string | null;
  /** name, ID number and 学籍号 joined, for substring search. */
  search_text: string;
  created_at: string;
  updated_at: string;
}

export interface PriorityFlagRow {
  id: Generated<number>;
  student_id: number;
  grp: string;
  source: 'roster' | 'selfDeclared' | 'countyList' | 'certificate';
  source_date: string | null;
  note: string;
  created_at: string;
}

export interface ImportBatchRow {
  id: Generated<number>;
  kind: string;
  file_name: string;
  file_sha256: string;
  imported_at: string;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface StudentChangeRow {
  id: Generated<number>;
  student_id: number;
  changed_at: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  source: 'import' | 'edit' | 'status';
  batch_id: number | null;
}

export interface Database {
  school: SchoolRow;
  school_class: SchoolClassRow;
  student: StudentRow;
  priority_flag: PriorityFlagRow;
  import_batch: ImportBatchRow;
  student_change: StudentChangeRow;
}
