import { Select } from 'antd';
import { useEffect, useState } from 'react';
import type { Programme } from '../../../shared/domain/programme';
import type { School, Term } from '../../../shared/domain/school';
import { nextTerm, previousTerm, schoolYearOfTerm, termText } from '../../../shared/rules/term';
import { client } from '../api/client';
import { remember, remembered } from './remembered';

/**
 * The term a page shows, remembered per page — but only within the school's current term: when the school
 * moves on to a new term, every page opens on it again.
 */
export function useRememberedTerm(school: School, page: string): [Term, (t: Term) => void] {
  const [term, setTerm] = useState<Term>(() =>
    remembered<string | null>(`${page}.termOf`, null) === school.term ? remembered<Term>(`${page}.term`, school.term) : school.term,
  );
  return [
    term,
    (t: Term) => {
      setTerm(t);
      remember(`${page}.term`, t);
      remember(`${page}.termOf`, school.term);
    },
  ];
}

/** Sets what a page opens on (used by the term board's links before it opens the page). */
export function openOn(
  page: string,
  school: School,
  choice: { term?: Term; programmeCode?: string; programmeId?: number; classId?: number | null; tab?: string },
) {
  if (choice.term) {
    remember(`${page}.term`, choice.term);
    remember(`${page}.termOf`, school.term);
  }
  if (choice.programmeCode) remember(`${page}.programme`, choice.programmeCode);
  if (choice.programmeId) remember(`${page}.programmeId`, choice.programmeId);
  if (choice.classId !== undefined) remember(`${page}.class`, choice.classId);
  if (choice.tab) remember(`${page}.tab`, choice.tab);
}

/** The terms a clerk works in: two back, the current one and the next. */
export function TermSelect({ term, onChange }: { term: Term; onChange(t: Term): void }) {
  return (
    <Select
      aria-label="学期"
      style={{ width: 170 }}
      value={term}
      onChange={onChange}
      options={[previousTerm(previousTerm(term)), previousTerm(term), term, nextTerm(term)]
        .filter((t, i, a) => a.indexOf(t) === i)
        .map((t) => ({ value: t, label: termText(t) }))}
    />
  );
}

/**
 * A term with its school year's programme catalogue and one chosen programme; the same programme (by code)
 * stays chosen when the term moves into another school year.
 */
export function useTermProgrammes(school: School, page: string, wanted: (p: Programme) => boolean = () => true) {
  const [term, setTermState] = useRememberedTerm(school, page);
  const [catalogue, setCatalogue] = useState<Programme[]>([]);
  const [programmeId, setProgrammeIdState] = useState<number | null>(null);
  useEffect(() => {
    client.invoke('programmes.list', { schoolYear: schoolYearOfTerm(term) }).then(
      (list) => {
        setCatalogue((previous) => {
          setProgrammeIdState((current) => {
            const code = previous.find((p) => p.id === current)?.code ?? remembered<string | null>(`${page}.programme`, null);
            const offered = list.filter((p) => wanted(p) && p.stages.some((s) => school.stages.includes(s)));
            return (list.find((p) => p.code === code) ?? offered[0] ?? list[0])?.id ?? null;
          });
          return list;
        });
      },
      () => setCatalogue([]),
    );
  }, [term]); // eslint-disable-line react-hooks/exhaustive-deps -- reload per term only
  const usable = catalogue.filter(wanted);
  const offered = usable.filter((p) => p.stages.some((s) => school.stages.includes(s)));
  const others = usable.filter((p) => !offered.includes(p));
  const options = [
    { label: '本校学段的项目', options: offered.map((p) => ({ value: p.id, label: p.name })) },
    { label: '其他学段', options: others.map((p) => ({ value: p.id, label: p.name })) },
  ];
  const setTerm = setTermState;
  const setProgrammeId = (id: number | null) => {
    setProgrammeIdState(id);
    const code = catalogue.find((p) => p.id === id)?.code;
    if (code) remember(`${page}.programme`, code);
  };
  // Between a change of term into another school year and the new catalogue arriving, the chosen programme
  // belongs to the old year: the page sees none rather than a pair the core refuses.
  const programme = catalogue.find((p) => p.id === programmeId && p.schoolYear === schoolYearOfTerm(term));
  return {
    term,
    setTerm,
    catalogue,
    setCatalogue,
    programmeId: programme ? programmeId : null,
    setProgrammeId,
    programme,
    options,
  };
}
