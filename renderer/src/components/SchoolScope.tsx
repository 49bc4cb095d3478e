/**
 * Which school of the desk the pages show: the central school with its member schools (校点、教学点) can be
 * looked at one by one or together. A desk of one school never sees any of this (no picker, no 学校 column).
 */
import { Select } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MemberSchool, SchoolClass } from '../../../shared/domain/school';
import { client } from '../api/client';
import { useRemembered } from './remembered';

export interface SchoolScopeValue {
  schools: MemberSchool[];
  /** More than one school in the desk. */
  several: boolean;
  /** The school shown, or null: all of them. Always null on a one-school desk. */
  schoolId: number | null;
  setSchoolId: (id: number | null) => void;
  reload: () => void;
  /** The class as a list shows it: with its school's name when the schools are shown together. */
  classLabel: (className: string | null, schoolId: number) => string;
}

const Scope = createContext<SchoolScopeValue>({
  schools: [],
  several: false,
  schoolId: null,
  setSchoolId: () => {},
  reload: () => {},
  classLabel: (c) => c ?? '',
});

export function SchoolScopeProvider({ children }: { children: ReactNode }) {
  const [schools, setSchools] = useState<MemberSchool[]>([]);
  const [picked, setPicked] = useRemembered<number | null>('school.scope', null);
  const reload = useCallback(() => {
    client.invoke('schools.list', {}).then(setSchools, () => {});
  }, []);
  useEffect(reload, [reload]);
  const several = schools.length > 1;
  // A school removed (or a desk back to one school) falls back to all.
  const schoolId = several && schools.some((s) => s.id === picked) ? picked : null;
  const names = new Map(schools.map((s) => [s.id, s.name]));
  const classLabel = (className: string | null, id: number) =>
    several && schoolId === null ? `${names.get(id) ?? ''} ${className ?? ''}`.trim() : (className ?? '');
  return <Scope.Provider value={{ schools, several, schoolId, setSchoolId: setPicked, reload, classLabel }}>{children}</Scope.Provider>;
}

export function useSchoolScope(): SchoolScopeValue {
  return useContext(Scope);
}

/** The header's picker: only when the desk keeps more than one school. */
export function SchoolPicker() {
  const { schools, several, schoolId, setSchoolId } = useSchoolScope();
  if (!several) return null;
  return (
    <Select
      size="small"
      data-testid="school-picker"
      style={{ minWidth: 180 }}
      value={schoolId ?? 0}
      onChange={(v: number) => setSchoolId(v === 0 ? null : v)}
      options={[{ value: 0, label: `全部学校（${schools.length} 所）` }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
    />
  );
}

/** The desk's classes, only the picked school's when one is picked (labels name the school when all are shown). */
export function useClasses(): SchoolClass[] {
  const { schoolId } = useSchoolScope();
  const [all, setAll] = useState<SchoolClass[]>([]);
  useEffect(() => {
    client.invoke('classes.list', {}).then(setAll, () => setAll([]));
  }, []);
  return useMemo(() => (schoolId === null ? all : all.filter((c) => c.schoolId === schoolId)), [all, schoolId]);
}
