import { App as AntApp, Button, Empty, Modal, Space, Tabs, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { HOUSEHOLD_REASON_TEXT, type Household, type HouseholdSuggestion } from '../../../../shared/domain/household';
import { client } from '../../api/client';

/**
 * 同户家庭: siblings paid once per household (临时救助“每户 200 元”). The roster suggests; the clerk confirms each
 * household, and can take a student out again.
 */
export function HouseholdsDialog({ onClose }: { onClose(): void }) {
  const { message } = AntApp.useApp();
  const [households, setHouseholds] = useState<Household[] | null>(null);
  const [suggestions, setSuggestions] = useState<HouseholdSuggestion[] | null>(null);
  const load = useCallback(() => {
    client.invoke('households.list', {}).then(setHouseholds, (e: Error) => message.error(e.message));
    client.invoke('households.suggest', {}).then(setSuggestions, (e: Error) => message.error(e.message));
  }, [message]);
  useEffect(load, [load]);
  const confirm = (s: HouseholdSuggestion) =>
    client
      .invoke('households.link', {
        studentIds: s.students.map((x) => x.studentId),
        note: s.reasons.map((r) => HOUSEHOLD_REASON_TEXT[r]).join('、'),
      })
      .then(
        (h) => {
          message.success(`已确认 ${h.students.map((x) => x.name).join('、')} 为同一户`);
          load();
        },
        (e: Error) => message.error(e.message, 8),
      );
  const unlink = (studentId: number, name: string) =>
    client.invoke('households.unlink', { studentId }).then(
      () => {
        message.success(`已把${name}移出同户家庭`);
        load();
      },
      (e: Error) => message.error(e.message),
    );
  const names = (xs: { name: string; className: string }[]) =>
    xs.map((x) => (
      <Tag key={`${x.name}-${x.className}`}>
        {x.name}（{x.className || '未分班'}）
      </Tag>
    ));
  return (
    <Modal
      open
      title="同户家庭（按户发放的项目每户只发一份）"
      width={860}
      onCancel={onClose}
      footer={<Button onClick={onClose}>关闭</Button>}
    >
      <Tabs
        items={[
          {
            key: 'suggest',
            label: `待确认 ${suggestions?.length ?? ''}`,
            children: suggestions?.length ? (
              <div style={{ maxHeight: 460, overflow: 'auto' }} data-testid="household-suggestions">
                {suggestions.map((s) => (
                  <div
                    key={s.students.map((x) => x.studentId).join('-')}
                    className="toolbar"
                    style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}
                  >
                    <span style={{ width: 90 }}>监护人 {s.guardian}</span>
                    <span style={{ flex: 1 }}>{names(s.students)}</span>
                    <span className="muted">{s.reasons.map((r) => HOUSEHOLD_REASON_TEXT[r]).join('，')}</span>
                    <Button size="small" type="primary" onClick={() => void confirm(s)}>
                      确认为同一户
                    </Button>
                  </div>
                ))}
              </div>
            ) : (
              <Empty description="名册中没有监护人和住址（或电话）相同、尚未确认的学生" />
            ),
          },
          {
            key: 'confirmed',
            label: `已确认 ${households?.length ?? ''}`,
            children: households?.length ? (
              <div style={{ maxHeight: 460, overflow: 'auto' }} data-testid="households">
                {households.map((h) => (
                  <div key={h.id} className="toolbar" style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
                    <span style={{ width: 90 }}>监护人 {h.guardian}</span>
                    <Space wrap style={{ flex: 1 }}>
                      {h.students.map((x) => (
                        <Tag key={x.studentId} closable onClose={(e) => (e.preventDefault(), void unlink(x.studentId, x.name))}>
                          {x.name}（{x.className || '未分班'}）
                        </Tag>
                      ))}
                    </Space>
                  </div>
                ))}
              </div>
            ) : (
              <Empty description="还没有确认的同户家庭" />
            ),
          },
        ]}
      />
    </Modal>
  );
}
