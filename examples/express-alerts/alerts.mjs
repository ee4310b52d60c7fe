// The example's data and handlers, shared by the Express and Koa versions of the alerts API.
export const alerts = [
  { id: 'al-1001', severity: 'high', title: 'Impossible travel for svc-backup', status: 'open' },
  {
    id: 'al-1002',
    severity: 'medium',
    title: 'Burst of failed logins on vpn-gw-2',
    status: 'open',
  },
];

export const playbooks = new Map([
  ['isolate-host', 'Isolate the host from the network'],
  ['disable-account', 'Disable the account and revoke its sessions'],
]);

/** Runs a playbook on behalf of the caller; returns undefined for an unknown playbook. */
export function runPlaybook(id, auth) {
  if (!playbooks.has(id)) return undefined;
  return { playbook: id, status: 'started', requestedBy: auth.clientId ?? auth.subject };
}
