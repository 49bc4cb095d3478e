import {
  DashboardOutlined,
  AccountBookOutlined,
  AuditOutlined,
  BarChartOutlined,
  CoffeeOutlined,
  HeartOutlined,
  MoneyCollectOutlined,
  FileDoneOutlined,
  FolderOpenOutlined,
  HistoryOutlined,
  LockOutlined,
  NotificationOutlined,
  PrinterOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Alert, Button, Layout, Menu, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { School } from '../../shared/domain/school';
import { termText } from '../../shared/rules/term';
import { client, isDesktop } from './api/client';
import { syncToday } from './api/today';
import { loadPreferences } from './components/remembered';
import { openOn } from './components/TermProgramme';
import { useConfirmLeave } from './components/unsaved';
import { SchoolPicker, SchoolScopeProvider } from './components/SchoolScope';
import type { BoardLink, BoardPage as BoardPageKey } from '../../shared/api/board';
import { BoardPage } from './features/board/BoardPage';
import { ArchivePage } from './features/archive/ArchivePage';
import { AuditPage } from './features/audit/AuditPage';
import { ExportsPage } from './features/exports/ExportsPage';
import { IdentificationPage } from './features/identification/IdentificationPage';
import { PaymentsPage } from './features/payments/PaymentsPage';
import { FundsPage } from './features/funds/FundsPage';
import { MealsPage } from './features/meals/MealsPage';
import { EducationPage } from './features/education/EducationPage';
import { ProgrammesPage } from './features/programmes/ProgrammesPage';
import { PublicityPage } from './features/publicity/PublicityPage';
import { RosterPage } from './features/roster/RosterPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { StatsPage } from './features/stats/StatsPage';
import { WelcomePage } from './features/welcome/WelcomePage';
import { RESTORED_KEY } from './features/settings/BackupCard';
import type { DeskControls } from './features/desk/DeskGate';

export type Area = 'board' | 'audit' | BoardPageKey;

const AREAS: { key: Area; label: string; icon: ReactNode }[] = [
  { key: 'board', label: '本学期工作台', icon: <DashboardOutlined /> },
  { key: 'roster', label: '学生名册', icon: <TeamOutlined /> },
  { key: 'surveys', label: '家庭调查与认定', icon: <AuditOutlined /> },
  { key: 'programmes', label: '资助项目', icon: <FileDoneOutlined /> },
  { key: 'publicity', label: '公示', icon: <NotificationOutlined /> },
  { key: 'exports', label: '导出与打印', icon: <PrinterOutlined /> },
  { key: 'payments', label: '发放', icon: <AccountBookOutlined /> },
  { key: 'funds', label: '资金台账', icon: <MoneyCollectOutlined /> },
  { key: 'meals', label: '营养餐', icon: <CoffeeOutlined /> },
  { key: 'education', label: '资助育人与投诉', icon: <HeartOutlined /> },
  { key: 'archive', label: '档案', icon: <FolderOpenOutlined /> },
  { key: 'stats', label: '统计', icon: <BarChartOutlined /> },
  { key: 'audit', label: '操作记录', icon: <HistoryOutlined /> },
  { key: 'settings', label: '设置', icon: <SettingOutlined /> },
];

function areaFromHash(): Area {
  const key = window.location.hash.replace(/^#\/?/, '').split(/[?&]/)[0];
  return AREAS.some((a) => a.key === key) ? (key as Area) : 'board';
}

export function App({ desk }: { desk: DeskControls }) {
  const [school, setSchool] = useState<School | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [area, setArea] = useState<Area>(areaFromHash);
  // A restore reloads the page: what was restored is said once it is back.
  const [restored, setRestored] = useState<string | null>(() => {
    const note = sessionStorage.getItem(RESTORED_KEY);
    sessionStorage.removeItem(RESTORED_KEY);
    return note;
  });

  const [demo, setDemo] = useState(false);
  const loadSchool = useCallback(() => {
    // The core's today first: forms default to its date, not the browser's.
    syncToday()
      .then(loadPreferences)
      .then(async () => {
        setDemo((await client.invoke('school.isDemo', {})).demo);
        return client.invoke('school.get', {});
      })
      .then(setSchool, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    const timer = setInterval(() => void syncToday().catch(() => {}), 3_600_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(loadSchool, [loadSchool]);
  useEffect(() => {
    const onHash = () => setArea(areaFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const confirmLeave = useConfirmLeave();
  const go = (next: Area) =>
    confirmLeave(() => {
      window.location.hash = `/${next}`;
      setArea(next);
    });
  /** A term-board link: the page opens on the programme, term, class and tab the link names. */
  const open = (link: BoardLink) =>
    confirmLeave(() => {
      openOn(link.page, school!, link);
      window.location.hash = `/${link.page}`;
      setArea(link.page);
      // The menu item clicked last keeps its focus highlight otherwise, as if two pages were open.
      (document.activeElement as HTMLElement | null)?.blur();
    });

  if (error) return <Alert type="error" showIcon style={{ margin: 40 }} message="无法连接到数据" description={error} />;
  if (school === undefined) return <Spin style={{ display: 'block', marginTop: 120 }} size="large" />;
  if (school === null)
    return (
      <WelcomePage
        onReady={(kind) => {
          // A new desk has no students yet: the first step is the roster, not an empty term board. A demo desk
          // is in the middle of its year: the board says what comes next.
          const first = kind === 'demo' ? 'board' : 'roster';
          window.location.hash = `/${first}`;
          setArea(first);
          loadSchool();
        }}
      />
    );

  return (
    <SchoolScopeProvider>
      <Layout style={{ height: '100%' }}>
        <Layout.Sider width={200} theme="dark">
          <div className="app-brand">
            AidDesk 资助工作台
            <small>{school.name}</small>
          </div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[area]}
            items={AREAS.map((a) => ({ key: a.key, icon: a.icon, label: a.label }))}
            onClick={(e) => go(e.key as Area)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{
              background: '#fff',
              height: 44,
              lineHeight: '44px',
              padding: '0 20px',
              borderBottom: '1px solid #e5e8ee',
              display: 'flex',
              gap: 12,
              alignItems: 'center',
            }}
          >
            <strong>{school.name}</strong>
            <span className="muted">{[school.county, school.township].filter(Boolean).join(' · ')}</span>
            <Tag color="blue">{termText(school.term)}</Tag>
            <SchoolPicker />
            <span style={{ flex: 1 }} />
            {demo && (
              <Tag color="orange" data-testid="demo-tag">
                演示数据（虚构）· 可在“设置”中清除
              </Tag>
            )}
            {!isDesktop && <Tag>浏览器模式 · 仅本机</Tag>}
            {desk.status.operator && (
              <span className="muted" data-testid="operator">
                经办人：{desk.status.operator}
              </span>
            )}
            <Button size="small" icon={<LockOutlined />} onClick={() => confirmLeave(desk.lock)}>
              锁定
            </Button>
          </Layout.Header>
          {restored && (
            <Alert
              type="success"
              showIcon
              banner
              closable
              data-testid="restored-note"
              message={restored}
              onClose={() => setRestored(null)}
            />
          )}
          <Layout.Content style={{ minHeight: 0 }}>
            {area === 'board' && <BoardPage school={school} onOpen={open} />}
            {area === 'roster' && <RosterPage school={school} />}
            {area === 'settings' && <SettingsPage school={school} demo={demo} desk={desk} onSaved={setSchool} />}
            {area === 'surveys' && <IdentificationPage school={school} />}
            {area === 'publicity' && <PublicityPage school={school} />}
            {area === 'programmes' && <ProgrammesPage school={school} />}
            {area === 'exports' && <ExportsPage school={school} />}
            {area === 'payments' && <PaymentsPage school={school} />}
            {area === 'funds' && <FundsPage school={school} />}
            {area === 'meals' && <MealsPage school={school} />}
            {area === 'education' && <EducationPage school={school} />}
            {area === 'archive' && <ArchivePage school={school} />}
            {area === 'stats' && <StatsPage school={school} />}
            {area === 'audit' && <AuditPage />}
          </Layout.Content>
        </Layout>
      </Layout>
    </SchoolScopeProvider>
  );
}
