import { CalendarOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import { useSchoolScope } from '../../components/SchoolScope';
import { Alert, App as AntApp, Button, Card, Empty, Spin, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { BoardLink, BoardStep, TermBoard } from '../../../../shared/api/board';
import type { School, Term } from '../../../../shared/domain/school';
import { termText } from '../../../../shared/rules/term';
import { client } from '../../api/client';
import { TermSelect, useRememberedTerm } from '../../components/TermProgramme';
import { CalendarDialog } from './CalendarDialog';

const STATE_TEXT: Record<BoardStep['state'], string> = { done: '已完成', doing: '进行中', todo: '待办', waiting: '未开始' };

function Step({ s, onOpen }: { s: BoardStep; onOpen(l: BoardLink): void }) {
  return (
    <Tooltip title={s.link ? `${STATE_TEXT[s.state]}：${s.link.label}` : STATE_TEXT[s.state]}>
      <button
        type="button"
        className={`board-step board-step-${s.state}`}
        onClick={() => s.link && onOpen(s.link)}
        aria-label={`${s.label}：${s.progress}`}
      >
        <span className="board-step-label">{s.label}</span>
        <span className="board-step-progress">{s.progress}</span>
      </button>
    </Tooltip>
  );
}

function Next({ link, onOpen }: { link: BoardLink | null; onOpen(l: BoardLink): void }) {
  return link ? (
    <Button type="primary" size="small" onClick={() => onOpen(link)}>
      下一步：{link.label} <RightOutlined />
    </Button>
  ) : (
    <Tag color="green">本学期已办完</Tag>
  );
}

/**
 * 本学期工作台, the home page: where the term stands (the year's identification, each programme's steps with
 * the figures behind them), the next action of each as a link to the right page, the open findings, and the
 * term's calendar. Every figure comes from the data.
 */
export function BoardPage({ school, onOpen }: { school: School; onOpen(link: BoardLink): void }) {
  const { message } = AntApp.useApp();
  const [term, setTerm] = useRememberedTerm(school, 'board');
  const [board, setBoard] = useState<TermBoard | null>(null);
  const [editing, setEditing] = useState(false);
  const { schoolId } = useSchoolScope();
  const load = useCallback(() => {
    client.invoke('board.term', { term, schoolId }).then(setBoard, (e: Error) => message.error(e.message));
  }, [term, schoolId, message]);
  useEffect(load, [load]);
  if (!board) return <Spin style={{ display: 'block', marginTop: 120 }} />;
  const id = board.identification;
  return (
    <div className="page board">
      <div className="toolbar">
        <h1 className="page-title">本学期工作台</h1>
        <TermSelect term={term} onChange={(t: Term) => setTerm(t)} />
        <span className="muted">今天 {board.today}</span>
        <span style={{ flex: 1 }} />
        <Button onClick={() => onOpen(board.summary)}>{board.summary.label}</Button>
      </div>
      <div className="board-top">
        <Card size="small" title={`家庭经济困难学生认定（${board.schoolYear}学年）`} extra={<Next link={id.next} onOpen={onOpen} />}>
          <div className="board-steps" data-testid="board-identification">
            {id.steps.map((s) => (
              <Step key={s.key} s={s} onOpen={onOpen} />
            ))}
          </div>
          <div className="muted" style={{ marginTop: 6 }}>
            在校 {id.enrolled} 人，已交调查表 {id.surveyed} 人，已认定 {id.decided} 人，其中困难学生 {id.identified} 人
          </div>
        </Card>
        <Card
          size="small"
          title={
            <span>
              <WarningOutlined /> 待处理的检查问题
            </span>
          }
          data-testid="board-findings"
        >
          {board.dualEnrolments > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 8 }}
              data-testid="board-dual"
              message={`校点名册中有 ${board.dualEnrolments} 名学生已在其他学校在册（疑似双学籍），待核对`}
              action={
                <Button size="small" onClick={() => onOpen({ label: '双学籍核对', page: 'roster' })}>
                  去核对
                </Button>
              }
            />
          )}
          {board.findings.blocking + board.findings.warning === 0 ? (
            <span className="muted">没有待处理的问题</span>
          ) : (
            <>
              <div>
                必须处理 <b style={{ color: board.findings.blocking ? '#cf1322' : undefined }}>{board.findings.blocking}</b> 条，提醒{' '}
                <b>{board.findings.warning}</b> 条
              </div>
              <ul className="board-findings">
                {board.findings.first.map((f, i) => (
                  <li key={i}>
                    {f.programme} {f.student ?? ''}：{f.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card
          size="small"
          title={
            <span>
              <CalendarOutlined /> {termText(board.term)}日程
            </span>
          }
          extra={
            <Button size="small" type="link" onClick={() => setEditing(true)}>
              修改日期
            </Button>
          }
        >
          <ul className="board-calendar" data-testid="board-calendar">
            {board.calendar.map((c) => (
              <li key={c.key} className={`board-calendar-${c.state}`}>
                <span className="board-calendar-date">
                  {c.startsOn.slice(5)}～{c.endsOn.slice(5)}
                </span>
                <span>
                  {c.label}
                  {c.note && <span className="muted">（{c.note}）</span>}
                </span>
                {c.state === 'now' && <Tag color="blue">进行中</Tag>}
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <div className="board-programmes" data-testid="board-programmes">
        {board.programmes.length === 0 && (
          <Empty description="本学期还没有开始任何资助项目：在下方选择项目，建立申请或填写名额" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
        {board.programmes.map((p) => (
          <Card
            key={p.programmeId}
            size="small"
            className="board-programme"
            data-testid={`board-programme-${p.code}`}
            title={
              <span>
                {p.name}
                {p.findings.blocking > 0 && <Tag color="red" style={{ marginLeft: 8 }}>{`必须处理 ${p.findings.blocking}`}</Tag>}
                {p.findings.warning > 0 && <Tag color="orange">{`提醒 ${p.findings.warning}`}</Tag>}
              </span>
            }
            extra={<Next link={p.next} onOpen={onOpen} />}
          >
            <div className="board-steps">
              {p.steps.map((s) => (
                <Step key={s.key} s={s} onOpen={onOpen} />
              ))}
            </div>
          </Card>
        ))}
        {board.notStarted.length > 0 && (
          <Alert
            type="info"
            showIcon
            message="本学期还没有开始的项目"
            description={
              <span className="board-not-started">
                {board.notStarted.map((p) => (
                  <Button
                    key={p.programmeId}
                    size="small"
                    onClick={() =>
                      onOpen({ label: '建立申请', page: 'programmes', term: board.term, programmeCode: p.code, tab: 'applications' })
                    }
                  >
                    {p.name}
                  </Button>
                ))}
              </span>
            }
          />
        )}
      </div>
      {editing && (
        <CalendarDialog
          term={board.term}
          items={board.calendar}
          onClose={(saved) => {
            setEditing(false);
            if (saved) load();
          }}
        />
      )}
    </div>
  );
}
