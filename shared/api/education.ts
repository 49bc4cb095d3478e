import { z } from 'zod';
import { id, isoDate, shortText } from './common';
import { message } from './contract';
import { termArg } from './programmes';
import {
  ACTIVITY_THEMES,
  FOLLOW_UP_KINDS,
  type Activity,
  type Complaint,
  type FollowUp,
  type GraduateFollowUp,
  type TwoLessons,
} from '../domain/education';

const MAX_PHOTO_BASE64 = 28_000_000;

export const educationApi = {
  /** 资助育人 activities (of a term, or all). */
  'education.list': message<Activity[]>()(z.object({ term: termArg.nullable().default(null) })),
  'education.record': message<Activity>()(
    z.object({
      heldOn: isoDate,
      theme: z.enum(ACTIVITY_THEMES),
      title: shortText(100).min(1, '请填写活动名称'),
      classIds: z.array(id).max(200).default([]),
      attendance: z.number().int().min(0).max(100_000).default(0),
      note: shortText(500).default(''),
      photos: z
        .array(
          z.object({
            fileName: z.string().trim().min(1).max(200),
            dataBase64: z.string().min(1).max(MAX_PHOTO_BASE64, '照片太大（超过 20 MB）'),
          }),
        )
        .max(10)
        .default([]),
    }),
  ),
  'education.remove': message<null>()(z.object({ id })),
  /** 两节课 of a term, class by class. */
  'education.twoLessons': message<TwoLessons>()(z.object({ term: termArg })),
  /** Complaints and objections outside a publicity period (监督电话, 信箱, 来访). */
  'complaints.list': message<Complaint[]>()(z.object({ status: z.enum(['open', 'closed']).nullable().default(null) })),
  'complaints.record': message<Complaint>()(
    z.object({
      receivedOn: isoDate,
      channel: z.enum(['phone', 'mailbox', 'visit', 'other']),
      raisedBy: shortText(40).default(''),
      content: shortText(1000).min(1, '请填写投诉或异议的内容'),
      studentId: id.nullable().default(null),
      backdateReason: shortText(200).nullable().default(null),
    }),
  ),
  /** 回访, 问卷, 结对帮扶, notes, 预申请: of a student, or all. */
  'followUps.list': message<FollowUp[]>()(z.object({ studentId: id.nullable().default(null) })),
  'followUps.record': message<{ recorded: number }>()(
    z.object({
      studentIds: z.array(id).min(1).max(2_000),
      kind: z.enum(FOLLOW_UP_KINDS),
      onDate: isoDate,
      byWhom: shortText(40).default(''),
      content: shortText(1000).default(''),
    }),
  ),
  /** 高三 students of 脱贫/监测 or 低保 families and their 生源地贷款 pre-application. */
  'followUps.graduates': message<GraduateFollowUp[]>()(z.object({})),
  'complaints.answer': message<Complaint>()(
    z.object({
      id,
      handling: shortText(1000).default(''),
      answeredOn: isoDate.nullable().default(null),
      close: z.boolean().default(false),
    }),
  ),
};
