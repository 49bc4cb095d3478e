/**
 * The desk's students as a roster is matched against them: looked up by ID number, 学籍号 or name + birth date, and
 * made whole (an ExistingStudent) only when a row matches. A county's 300,000 are kept compact — one packed string
 * per student, numbers in typed arrays, keys in a KeyIndex, roster flags as bits — because a query per row costs 10–15 µs on the
 * encrypted file (4 s more at 300,000), and 300,000 objects with their fields took the next term's import past 1.3 GB.
 */
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import type { MissingStudent } from '../../../shared/api/roster';
import { PRIORITY_GROUPS, type PriorityGroup } from '../../../shared/domain/priority-group';
import type { StudentFields } from '../../../shared/domain/student';
import { doubled, KeyIndex, withRoom } from './key-index';

/** A student as stored, in the shape the plan compares. */
export interface ExistingStudent {
  id: number;
  fields: StudentFields;
  className: string | null;
  /** The school of the desk the student belongs to. */
  schoolId: number;
  schoolName: string;
  status: 'enrolled' | 'left';
  rosterFlags: Set<PriorityGroup>;
  /** Fields whose last change was the clerk's own (not an import): a roster does not overwrite them unasked. */
  edited: Set<string>;
}

/** A student's key for the plan's three ways of matching. */
export type StudentKey = 'idNumber' | 'studentNumber' | 'nameBirth';

const GROUPS = Object.keys(PRIORITY_GROUPS) as PriorityGroup[];
/** A student's fields in the order a packed record holds them (and the roster's analysis reads them). */
export const STUDENT_FIELDS = [
  'name',
  'idNumber',
  'studentNumber',
  'sex',
  'birthDate',
  'ethnicity',
  'hukou',
  'address',
  'guardianName',
  'guardianPhone',
  'boarding',
  'bankCard',
] as const satisfies readonly (keyof StudentFields)[];

const nameBirth = (name: string, birthDate: string) => `${name}|${birthDate}`;

export class KnownStudents {
  /**
   * By place (the order they were loaded in): id, class (0: none), school, left, roster flags as bits, and where the
   * packed fields end in `arena` (a JSON array in STUDENT_FIELDS, as UTF-8: ID numbers and dates take a byte a digit).
   * They start small and double (a school's desk of a few hundred grows them too: the tests see the growing).
   */
  private ids = new Int32Array(64);
  private classIds = new Int32Array(64);
  private schoolIds = new Int32Array(64);
  private left = new Uint8Array(64);
  private flagBits = new Uint16Array(64);
  private ends = new Uint32Array(64);
  private arena = Buffer.alloc(4096);
  private count = 0;
  private readonly byIdNumber = new KeyIndex();
  private readonly byStudentNumber = new KeyIndex();
  /** Built when a row first needs it (a row with neither ID number nor 学籍号: few, or none in a county's file). */
  private byNameBirth: KeyIndex | null = null;

  private constructor(
    private readonly classNames: Map<number, string>,
    private readonly schoolNames: Map<number, string>,
    /** Student id → the fields the clerk changed last (a few: only the clerk's own edits). */
    private readonly edited: Map<number, Set<string>>,
  ) {}

  /** Every student of the desk, read in one pass (no row of the query is kept). */
  static load(sqlite: SqliteDatabase.Database): KnownStudents {
    const names = (sql: string) => new Map((sqlite.prepare(sql).raw(true).all() as [number, string][]).map(([id, name]) => [id, name]));
    const edited = new Map<number, Set<string>>();
    const last = sqlite
      .prepare(
        `SELECT student_id, field FROM student_change WHERE source = 'edit' AND id IN (SELECT max(id) FROM student_change GROUP BY student_id, field)`,
      )
      .raw(true)
      .all() as [number, string][];
    for (const [id, field] of last) edited.set(id, (edited.get(id) ?? new Set()).add(field));
    const known = new KnownStudents(names(`SELECT id, name FROM school_class`), names(`SELECT id, name FROM member_school`), edited);
    const rows = sqlite
      .prepare(
        `SELECT id, class_id, school_id, status, name, id_number, student_number, sex, birth_date, ethnicity, hukou, address,
         guardian_name, guardian_phone, boarding, bank_card FROM student ORDER BY id`,
      )
      .raw(true)
      .iterate() as Iterable<[number, number | null, number, 'enrolled' | 'left', ...(string | number | null)[]]>;
    for (const [id, classId, schoolId, status, ...values] of rows) {
      const boarding = values[10];
      known.add(id, classId, schoolId, status === 'left', [...values.slice(0, 10), boarding === null ? null : boarding === 1, values[11]]);
    }
    const flags = sqlite.prepare(`SELECT student_id, grp FROM priority_flag WHERE source = 'roster'`).raw(true).iterate() as Iterable<
      [number, PriorityGroup]
    >;
    // The students were read in the order of their ids: a student's place is found by halving.
    const placeOf = (id: number) => {
      let [low, high] = [0, known.count - 1];
      while (low <= high) {
        const mid = (low + high) >> 1;
        const at = known.ids[mid]!;
        if (at === id) return mid;
        if (at < id) low = mid + 1;
        else high = mid - 1;
      }
      return undefined;
    };
    for (const [id, group] of flags) {
      const place = placeOf(id);
      if (place !== undefined) known.flagBits[place]! |= 1 << GROUPS.indexOf(group);
    }
    return known;
  }

  /** Students already in hand (the demo's empty desk, tests). */
  static of(students: ExistingStudent[]): KnownStudents {
    const schools = new Map(students.map((s) => [s.schoolId, s.schoolName]));
    const classes = new Map<number, string>();
    const classId = new Map<string, number>();
    for (const s of students) if (s.className !== null && !classId.has(s.className)) classId.set(s.className, classId.size + 1);
    for (const [name, id] of classId) classes.set(id, name);
    const known = new KnownStudents(classes, schools, new Map(students.map((s) => [s.id, s.edited])));
    for (const s of students) {
      const place = known.add(
        s.id,
        s.className === null ? null : classId.get(s.className)!,
        s.schoolId,
        s.status === 'left',
        STUDENT_FIELDS.map((f) => s.fields[f]),
      );
      for (const group of s.rosterFlags) known.flagBits[place]! |= 1 << GROUPS.indexOf(group);
    }
    return known;
  }

  private add(id: number, classId: number | null, schoolId: number, left: boolean, values: unknown[]): number {
    const place = this.count++;
    if (place === this.ids.length) {
      this.ids = doubled(this.ids);
      this.classIds = doubled(this.classIds);
      this.schoolIds = doubled(this.schoolIds);
      this.ends = doubled(this.ends);
      this.left = doubled(this.left);
      this.flagBits = doubled(this.flagBits);
    }
    const record = JSON.stringify(values);
    const start = place === 0 ? 0 : this.ends[place - 1]!;
    this.arena = withRoom(this.arena, start, record);
    this.ends[place] = start + this.arena.write(record, start);
    this.ids[place] = id;
    this.classIds[place] = classId ?? 0;
    this.schoolIds[place] = schoolId;
    this.left[place] = left ? 1 : 0;
    const [, idNumber, studentNumber] = values as (string | null)[];
    if (idNumber) this.byIdNumber.set(idNumber, place);
    if (studentNumber) this.byStudentNumber.set(studentNumber, place);
    return place;
  }

  get size(): number {
    return this.count;
  }

  /** The place of the student with this key, or undefined. */
  find(key: StudentKey, value: string): number | undefined {
    if (key === 'idNumber') return this.byIdNumber.get(value);
    if (key === 'studentNumber') return this.byStudentNumber.get(value);
    if (!this.byNameBirth) {
      this.byNameBirth = new KeyIndex();
      for (let place = 0; place < this.count; place++) {
        const f = this.fieldsAt(place);
        if (f.birthDate) this.byNameBirth.set(nameBirth(f.name, f.birthDate), place);
      }
    }
    return this.byNameBirth.get(value);
  }

  /** The key a row is matched by when it has neither ID number nor 学籍号. */
  static nameBirthKey(name: string, birthDate: string): string {
    return nameBirth(name, birthDate);
  }

  private fieldsAt(place: number): StudentFields {
    const values = JSON.parse(this.arena.toString('utf8', place === 0 ? 0 : this.ends[place - 1], this.ends[place])) as unknown[];
    return Object.fromEntries(STUDENT_FIELDS.map((f, i) => [f, values[i]])) as unknown as StudentFields;
  }

  /** The student at a place, whole. */
  at(place: number): ExistingStudent {
    const id = this.ids[place]!;
    const classId = this.classIds[place]!;
    const bits = this.flagBits[place]!;
    return {
      id,
      fields: this.fieldsAt(place),
      className: classId === 0 ? null : (this.classNames.get(classId) ?? null),
      schoolId: this.schoolIds[place]!,
      schoolName: this.schoolNames.get(this.schoolIds[place]!) ?? '',
      status: this.left[place] ? 'left' : 'enrolled',
      rosterFlags: new Set(GROUPS.filter((_, i) => bits & (1 << i))),
      edited: this.edited.get(id) ?? new Set(),
    };
  }

  /** The school's enrolled students at the places `seen` says no to: the first `listed` of them, and how many. */
  missing(schoolId: number, seen: (place: number) => boolean, listed = Infinity): { students: MissingStudent[]; count: number } {
    const students: MissingStudent[] = [];
    let count = 0;
    for (let place = 0; place < this.count; place++) {
      if (this.left[place] || this.schoolIds[place] !== schoolId || seen(place)) continue;
      if (count++ >= listed) continue;
      const s = this.at(place);
      students.push({ id: s.id, name: s.fields.name, className: s.className });
    }
    return { students, count };
  }
}
