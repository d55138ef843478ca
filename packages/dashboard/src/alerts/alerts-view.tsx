import { AlertList } from './alert-list.js';
import { RulesSection } from './rules-section.js';

/** Alerts: the recent ones to acknowledge, and the rules that fire them. */
export function AlertsView({ onError }: { onError: (error: unknown) => void }) {
  return (
    <>
      <AlertList onError={onError} />
      <RulesSection onError={onError} />
    </>
  );
}
