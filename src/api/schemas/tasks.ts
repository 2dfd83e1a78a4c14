import * as z from 'zod/mini';
import { bool01, int, nodeName, text } from './primitives';

/** `GET /nodes/{node}/tasks/{upid}/status`: `exitstatus` only once stopped, never `endtime` (NOTES.md §6). */
export const taskStatusSchema = z.looseObject({
  upid: z.string(),
  node: nodeName,
  status: z.string(),
  exitstatus: z.optional(text),
  type: z.string(),
  id: z.optional(text),
  user: z.string(),
  tokenid: z.optional(z.string()),
  starttime: int,
  pid: z.optional(int),
  pstart: z.optional(int),
});
export type TaskStatus = z.output<typeof taskStatusSchema>;

export const taskLogLineSchema = z.looseObject({ n: int, t: text });
export type TaskLogLine = z.output<typeof taskLogLineSchema>;

/** Items of `/cluster/tasks` and `/nodes/{node}/tasks`: `status` is the exit text, `RUNNING` when active. */
export const taskListItemSchema = z.looseObject({
  upid: z.string(),
  node: nodeName,
  type: z.string(),
  id: z.optional(text),
  user: z.string(),
  tokenid: z.optional(z.string()),
  starttime: int,
  endtime: z.optional(int),
  status: z.optional(text),
  saved: z.optional(bool01),
  pid: z.optional(int),
});
export type TaskListItem = z.output<typeof taskListItemSchema>;
