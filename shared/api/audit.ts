import { z } from 'zod';
import type { AuditPage } from '../domain/audit';
import { message } from './contract';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 2026-09-01');
const filter = {
  operator: z.string().trim().max(20).optional(),
  entity: z
    .string()
    .regex(/^[a-z_]{1,40}$/, '对象不正确')
    .optional(),
  action: z
    .string()
    .regex(/^[a-z]{1,20}$/, '操作不正确')
    .optional(),
  studentId: z.number().int().positive().optional(),
  from: day.optional(),
  to: day.optional(),
  search: z.string().trim().max(40, '最多 40 个字').optional(),
};

/** 操作记录: read and export only; nothing in the contract changes or deletes an entry. */
export const auditApi = {
  'audit.list': message<AuditPage>()(
    z.object({ ...filter, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }),
  ),
  'audit.export': message<{ fileName: string; dataBase64: string; rows: number }>()(z.object(filter)),
};
