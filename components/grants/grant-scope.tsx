import { LocalTime } from '@/components/ui/local-time';
import type { GrantDto } from './types';

/** A grant's scope in a few words: resources, environments, delegation, condition, uses. */
export function GrantScopeSummary({ grant }: { grant: Pick<GrantDto, 'resourcePatterns' | 'environments' | 'delegation' | 'delegationUsers' | 'condition' | 'maxUses' | 'uses'> }) {
  return (
    <ul className="space-y-0.5 text-xs text-slate-600 dark:text-slate-400">
      <li className="break-words">
        {grant.resourcePatterns.length ? (
          <>
            resources <code className="font-mono">{grant.resourcePatterns.join(', ')}</code>
          </>
        ) : (
          'any resource'
        )}
      </li>
      <li>{grant.environments.length ? `in ${grant.environments.join(', ')}` : 'any environment'}</li>
      {grant.delegation !== 'allowed' && <li>delegation {grant.delegation}</li>}
      {grant.delegationUsers.length > 0 && <li className="break-words">for {grant.delegationUsers.join(', ')}</li>}
      {grant.condition && (
        <li className="break-words">
          if <code className="font-mono">{grant.condition.length > 60 ? `${grant.condition.slice(0, 60)}…` : grant.condition}</code>
        </li>
      )}
      {grant.maxUses !== null && (
        <li>
          {grant.uses} of {grant.maxUses} uses
        </li>
      )}
    </ul>
  );
}

export function GrantValidity({ grant }: { grant: Pick<GrantDto, 'notBefore' | 'expiresAt' | 'revokedAt' | 'status'> }) {
  if (grant.status === 'revoked') {
    return (
      <span className="text-xs">
        revoked <LocalTime iso={grant.revokedAt} />
      </span>
    );
  }
  return (
    <div className="space-y-0.5 text-xs">
      {grant.notBefore && new Date(grant.notBefore).getTime() > Date.now() && (
        <div>
          from <LocalTime iso={grant.notBefore} />
        </div>
      )}
      {grant.expiresAt ? (
        <div>
          <div className="text-slate-500">{grant.status === 'expired' ? 'ended' : 'until'}</div>
          <LocalTime iso={grant.expiresAt} />
        </div>
      ) : (
        <div className="text-slate-500">no end date</div>
      )}
    </div>
  );
}
