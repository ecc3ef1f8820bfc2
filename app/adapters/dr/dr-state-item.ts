/**
 * Where the DR state lives in AWS: one item of the `control` global table, replicated to both regions, so Seoul's API
 * reads what Tokyo's failover workflow wrote (as soon as replication delivers it, also after Seoul comes back). The
 * failover workflow (infra/failover-definition.ts) writes this same item with the same attribute names.
 */
export const DR_STATE_KEY = { pk: 'DR_STATE' } as const;

export const DR_STATE_ATTRIBUTES = {
  active: 'active',
  since: 'since',
  failbackStartedAt: 'failbackStartedAt',
  /** Who wrote it last (the workflow's execution ARN, `failback`, `npm run dr`), for people reading the table. */
  updatedBy: 'updatedBy',
  updatedAt: 'updatedAt',
} as const;
