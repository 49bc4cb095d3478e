import { z } from 'zod';
import type { Student, StudentChange, StudentListItem } from '../domain/student';
import { id, isoDate, UploadArgs } from './common';
import { message } from './contract';

const text = z.string().max(200).nullable();

export const StudentFieldsArgs = z
  .object({
    name: text,
    idNumber: text,
    studentNumber: text,
    sex: text,
    birthDate: text,
    ethnicity: text,
    hukou: text,
    address: text,
    guardianName: text,
    guardianPhone: text,
    boarding: text,
    bankCard: text,
  })
  .partial()
  .strict();

export interface StudentPage {
  total: number;
  offset: number;
  rows: StudentListItem[];
}

/** One row of a sheet of bank cards, as the import would write it (numbers masked). */
export interface CardPreviewRow {
  /** The sheet's row number. */
  row: number;
  studentId: number;
  name: string;
  className: string | null;
  /** new: no card yet; changed: replaces an imported card or the account's details; conflict: replaces a card the clerk entered; same: nothing to do. */
  kind: 'new' | 'changed' | 'conflict' | 'same';
  card: string;
  current: string | null;
  holder: 'student' | 'guardian';
  holderName: string;
  bankName: string;
  note: string;
}

export interface CardPreview {
  uploadId: string;
  fileName: string;
  sheetName: string;
  headerRow: number;
  columns: { field: string; label: string; column: number }[];
  rows: CardPreviewRow[];
  /** Rows that cannot be written for certain, each naming its row. */
  problems: { row: number; message: string }[];
  counts: { new: number; changed: number; conflict: number; same: number; problems: number };
}

export interface CardImportResult {
  written: number;
  skipped: number;
  problems: number;
}

export const studentsApi = {
  /** A sheet of bank cards (any layout with 卡号 and 身份证号, 学籍号 or 姓名 + 班级), previewed against the desk. */
  'cards.preview': message<CardPreview>()(z.object({ upload: UploadArgs })),
  /** Writes the chosen rows of a previewed card sheet (by sheet row) in one transaction. */
  'cards.import': message<CardImportResult>()(
    z.object({ uploadId: z.uuid(), rows: z.array(z.number().int().min(1).max(1_000_000)).max(100_000) }),
  ),
  /** A page of the roster; `search` matches part of a name, ID number or 学籍号. */
  'students.list': message<StudentPage>()(
    z.object({
      search: z.string().max(50).default(''),
      classId: id.nullable().default(null),
      /** One school of the desk (its member schools' rosters are apart), or null: all. */
      schoolId: id.nullable().default(null),
      status: z.enum(['enrolled', 'left', 'all']).default('enrolled'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
  ),
  /** One student; ID number, 学籍号, phone, card and address masked unless `reveal` (a deliberate act). */
  'students.get': message<Student>()(z.object({ id, reveal: z.boolean().default(false) })),
  /** Edit fields (as text, validated by the same rules as the roster import) and/or the class. */
  'students.update': message<Student>()(z.object({ id, fields: StudentFieldsArgs.default({}), classId: id.nullable().optional() })),
  'students.history': message<StudentChange[]>()(z.object({ id })),
  /** Whose account the student's card is: the student's own, or a guardian's (name, and the 委托书 on file), and the bank. */
  'students.setAccount': message<Student>()(
    z.object({
      id,
      holder: z.enum(['student', 'guardian']),
      holderName: z.string().trim().max(30, '户名不超过 30 个字').default(''),
      proxyLetter: z.boolean().default(false),
      bankName: z.string().trim().max(40, '开户行不超过 40 个字').default(''),
    }),
  ),
  /** Marks students as left (转出/毕业/辍学) or back in school; nobody is ever deleted. */
  'students.setStatus': message<{ changed: number }>()(
    z.discriminatedUnion('status', [
      z.object({
        ids: z.array(id).min(1).max(50_000),
        status: z.literal('left'),
        reason: z.enum(['transferred', 'graduated', 'dropped']),
        date: isoDate,
      }),
      z.object({ ids: z.array(id).min(1).max(50_000), status: z.literal('enrolled') }),
    ]),
  ),
};
