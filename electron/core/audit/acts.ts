/**
 * The acts the audit trail records around a call, beside the row changes its triggers see: an import as one
 * entry with its counts (its rows are not listed one by one), a look at full numbers, an export that holds
 * them. dispatch.ts runs every call through here.
 */
import type { CoreContext } from '../context';
import { holdsWholeNumbers, OUTPUTS, type OutputKind } from '../../../shared/rules/privacy';
import { countsOf, quietRows, recordAudit, setActor } from './audit';

const BULK: Record<string, { entity: string; what: string; action?: 'bulk' }> = {
  'roster.import': { entity: 'student', what: '导入学生名册' },
  'lists.import': { entity: 'official_list', what: '导入县级名单' },
  'crosscheck.apply': { entity: 'priority_flag', what: '按县级名单补标特殊群体' },
  'payments.importBank': { entity: 'payment', what: '导入银行代发结果' },
  'cards.import': { entity: 'student', what: '批量导入银行卡号' },
  'surveys.applyImport': { entity: 'family_survey', what: '导入班主任交回的调查表' },
  'school.createDemo': { entity: 'desk', what: '生成演示数据' },
  // Many applications at once: one entry (each application's steps are also in its own history).
  'applications.create': { entity: 'application', what: '建立申请', action: 'bulk' },
  'applications.transition': { entity: 'application', what: '办理申请', action: 'bulk' },
  'applications.allocate': { entity: 'application', what: '按名额分配档次', action: 'bulk' },
};

/** The outputs of each message (rules/privacy.ts says which hold whole numbers). */
const OUTPUT_OF: Record<string, OutputKind> = {
  'export.countyTemplate': 'countyExport',
  'export.identification': 'countyExport',
  'payments.exportOutstanding': 'bankFile',
  'surveys.exportClass': 'classSurveyWorkbook',
  'print.signatureRoster': 'signatureRoster',
  'export.signatureRoster': 'signatureRoster',
  'print.surveyForms': 'surveyForms',
};

/** Screens that show whole numbers when the clerk asks (reveal). */
const REVEALS: Record<string, string> = {
  'students.get': '学生信息',
  'surveys.get': '认定申请表',
  'payments.list': '发放记录',
  'payments.ofStudent': '学生的发放记录',
};

type Args = Record<string, unknown>;

function fileNameOf(ctx: CoreContext, args: Args): string | null {
  const upload = (args.upload ?? null) as Args | null;
  if (upload && typeof upload.fileName === 'string') return upload.fileName;
  const id = (args.uploadId ?? upload?.uploadId) as string | undefined;
  return (id && ctx.uploads.get(id)?.fileName) || null;
}

function asksFullNumbers(args: Args): boolean {
  if (args.reveal === true || args.fullNumbers === true) return true;
  return Object.values(args).some((v) => v !== null && typeof v === 'object' && (v as Args).fullNumbers === true);
}

/** Runs one call with its operator set, recording what the triggers cannot see. */
export async function auditedCall(ctx: CoreContext, name: string, args: unknown, run: () => Promise<unknown>): Promise<unknown> {
  setActor(ctx);
  const a = (args ?? {}) as Args;
  const bulk = BULK[name];
  if (bulk) {
    const file = fileNameOf(ctx, a);
    const result = await quietRows(ctx, run);
    if (a.dryRun !== true) {
      setActor(ctx); // a demo or a restore may have replaced the store
      const counts = countsOf(result);
      recordAudit(ctx, {
        action: bulk.action ?? 'import',
        entity: bulk.entity,
        summary: `${bulk.what}${file ? `“${file}”` : ''}${counts ? `：${counts}` : ''}`,
      });
    }
    return result;
  }
  const result = await run();
  if (name === 'backup.restore') {
    setActor(ctx); // the restored database is a new store
    const info = result as { createdAt: string; students: number; payments: number };
    recordAudit(ctx, {
      action: 'restore',
      entity: 'desk',
      summary: `从 ${info.createdAt.slice(0, 16).replace('T', ' ')}（UTC）的备份恢复：学生 ${info.students} 人，发放记录 ${info.payments} 条`,
    });
  }
  const studentId = typeof a.studentId === 'number' ? a.studentId : name === 'students.get' && typeof a.id === 'number' ? a.id : null;
  const output = OUTPUT_OF[name];
  if (output && holdsWholeNumbers(output, asksFullNumbers(a)))
    recordAudit(ctx, { action: 'export', entity: 'student', summary: `导出或打印${OUTPUTS[output].text}（含完整证件号或银行卡号）` });
  else if (REVEALS[name] && asksFullNumbers(a))
    recordAudit(ctx, { action: 'reveal', entity: 'student', studentId, summary: `显示完整号码：${REVEALS[name]}` });
  return result;
}
