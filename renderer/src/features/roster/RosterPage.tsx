import { ImportOutlined, SearchOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, Button, Empty, Input, Select, Space, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { School, SchoolClass } from '../../../../shared/domain/school';
import { LEFT_REASON_TEXT, SEX_TEXT, type StudentListItem } from '../../../../shared/domain/student';
import { client } from '../../api/client';
import { useRemembered } from '../../components/remembered';
import { saveFile } from '../../components/files';
import { CardImportDialog } from './CardImportDialog';
import { HouseholdsDialog } from './HouseholdsDialog';
import { ImportDialog } from './ImportDialog';
import { StudentDrawer } from './StudentDrawer';
import { DualEnrolmentDialog } from './DualEnrolmentDialog';
import { useSchoolScope } from '../../components/SchoolScope';
import { formatCount } from '../../../../shared/rules/text';

const PAGE_SIZE = 200;
const ROW_HEIGHT = 36;
type Status = 'enrolled' | 'left' | 'all';

/** Debounced value: search answers as the clerk types, without a call per keystroke burst. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function RosterPage({ school }: { school: School }) {
  const scope = useSchoolScope();
  const { schoolId } = scope;
  const [dual, setDual] = useState(false);
  const [dualOpen, setDualOpen] = useState(0);
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 120);
  const [classId, setClassId] = useRemembered<number | null>('roster.class', null);
  const [status, setStatus] = useState<Status>('enrolled');
  const [classes, setClasses] = useState<SchoolClass[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, StudentListItem[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const [importingCards, setImportingCards] = useState(false);
  const [households, setHouseholds] = useState(false);
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<InputRef>(null);

  const loadPage = useCallback(
    (page: number, gen: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      client
        .invoke('students.list', { search: query, classId, schoolId, status, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then(
          (result) => {
            if (gen !== generation.current) return;
            setTotal(result.total);
            setPages((prev) => new Map(prev).set(page, result.rows));
            setError(null);
          },
          (e: Error) => gen === generation.current && setError(e.message),
        )
        .finally(() => loading.current.delete(page));
    },
    [query, classId, schoolId, status],
  );

  useEffect(() => {
    generation.current++;
    loading.current = new Set();
    setPages(new Map());
    scrollRef.current?.scrollTo({ top: 0 });
    loadPage(0, generation.current);
  }, [loadPage, reload]);

  useEffect(() => {
    client.invoke('classes.list', {}).then(
      (list) => {
        setClasses(list);
        // A remembered class that no longer exists (a new roster) is forgotten.
        setClassId((c) => (c !== null && !list.some((x) => x.id === c && (schoolId === null || x.schoolId === schoolId)) ? null : c));
      },
      (e: Error) => setError(e.message),
    );
    if (scope.several)
      client.invoke('dualEnrolment.list', { limit: 1 }).then(
        (r) => setDualOpen(r.open),
        () => {},
      );
  }, [reload, setClassId, schoolId, scope.several]);
  // All the schools together: a 学校 column before the class.
  const showSchool = scope.several && schoolId === null;
  const schoolNames = new Map(scope.schools.map((m) => [m.id, m.name]));
  const shownClasses = schoolId === null ? classes : classes.filter((c) => c.schoolId === schoolId);

  // Ctrl+F or / puts the cursor in the search box from anywhere on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
      if ((e.ctrlKey && e.key === 'f') || (e.key === '/' && !typing)) {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The virtualizer re-renders on scroll by itself; this component is not memoised by the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    const needed = new Set(items.map((i) => Math.floor(i.index / PAGE_SIZE)));
    for (const page of needed) if (!pages.has(page)) loadPage(page, generation.current);
  }, [items, pages, loadPage]);

  const rowAt = (index: number) => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  return (
    <div className="page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <h1 className="page-title" style={{ marginRight: 8 }}>
            学生名册
          </h1>
          <Input
            ref={searchRef}
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索姓名、拼音首字母、身份证件号、学籍号"
            style={{ width: 260 }}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label="搜索学生"
          />
          <Select
            style={{ width: 180 }}
            value={classId}
            onChange={setClassId}
            aria-label="班级"
            showSearch
            optionFilterProp="label"
            options={[
              { value: null, label: '全部班级' },
              ...shownClasses.map((c) => ({ value: c.id, label: `${schoolId === null ? c.label : c.name}（${c.studentCount}人）` })),
            ]}
          />
          <Select<Status>
            style={{ width: 110 }}
            value={status}
            onChange={setStatus}
            aria-label="在校状态"
            options={[
              { value: 'enrolled', label: '在校' },
              { value: 'left', label: '已离校' },
              { value: 'all', label: '全部' },
            ]}
          />
          <span className="muted" data-testid="student-count">
            {total === null ? '' : `共 ${formatCount(total)} 人`}
          </span>
        </Space>
        <Space>
          <Button
            onClick={() =>
              void client
                .invoke('export.list', { list: 'students', search: query, classId, schoolId, status })
                .then(saveFile, (e: Error) => setError(e.message))
            }
          >
            导出本表
          </Button>
          {scope.several && (
            <Button danger={dualOpen > 0} onClick={() => setDual(true)} data-testid="dual-button">
              双学籍核对{dualOpen > 0 ? `（${dualOpen}）` : ''}
            </Button>
          )}
          <Button onClick={() => setHouseholds(true)}>同户家庭</Button>
          <Button onClick={() => setImportingCards(true)}>导入银行卡</Button>
          <Button type="primary" icon={<ImportOutlined />} onClick={() => setImporting(true)}>
            导入名册
          </Button>
        </Space>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <div className={`roster-table${showSchool ? ' with-school' : ''}`} role="table" aria-label="学生名册">
        <div className="roster-row roster-head" role="row">
          <span>序号</span>
          {showSchool && <span>学校</span>}
          <span>班级</span>
          <span>姓名</span>
          <span>性别</span>
          <span>身份证件号</span>
          <span>出生日期</span>
          <span>就读</span>
          <span>状态</span>
          <span>学籍号</span>
        </div>
        <div className="roster-scroll" ref={scrollRef}>
          {total === 0 ? (
            <Empty
              style={{ marginTop: 60 }}
              description={query || classId ? '没有符合条件的学生' : '还没有学生：点击右上角“导入名册”，导入学籍系统导出的名单'}
            />
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const s = rowAt(item.index);
                return (
                  <div
                    key={item.key}
                    role="row"
                    className={`roster-row${s && s.id === selected ? ' selected' : ''}`}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                    onClick={() => s && setSelected(s.id)}
                    onKeyDown={(e) => e.key === 'Enter' && s && setSelected(s.id)}
                    tabIndex={0}
                  >
                    {s ? (
                      <>
                        <span className="muted">{item.index + 1}</span>
                        {showSchool && <span>{schoolNames.get(s.schoolId) ?? ''}</span>}
                        <span>{s.className ?? '未分班'}</span>
                        <span>{s.name}</span>
                        <span>{s.sex ? SEX_TEXT[s.sex] : ''}</span>
                        <span className="mono">{s.idNumberMasked ?? ''}</span>
                        <span>{s.birthDate ?? ''}</span>
                        <span>{s.boarding === null ? '' : s.boarding ? '住校' : '走读'}</span>
                        <span>
                          {s.status === 'enrolled' ? '在校' : `已离校${s.leftReason ? `（${LEFT_REASON_TEXT[s.leftReason]}）` : ''}`}
                        </span>
                        <span className="mono muted">{s.studentNumberMasked ?? ''}</span>
                      </>
                    ) : (
                      <span className="muted">加载中…</span>
                    )}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
      {selected !== null && (
        <StudentDrawer id={selected} classes={classes} onClose={() => setSelected(null)} onChanged={() => setReload((n) => n + 1)} />
      )}
      {households && <HouseholdsDialog onClose={() => setHouseholds(false)} />}
      {dual && (
        <DualEnrolmentDialog
          onClose={(changed) => {
            setDual(false);
            if (changed) {
              setReload((n) => n + 1);
              scope.reload();
            }
          }}
        />
      )}
      {importingCards && (
        <CardImportDialog
          onClose={(changed) => {
            setImportingCards(false);
            if (changed) setReload((n) => n + 1);
          }}
        />
      )}
      {importing && (
        <ImportDialog
          school={school}
          schoolId={schoolId}
          onClose={(changed) => {
            setImporting(false);
            if (changed) {
              setReload((n) => n + 1);
              scope.reload();
            }
          }}
        />
      )}
    </div>
  );
}
