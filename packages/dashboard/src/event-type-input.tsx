/** The spec's event types, and the SDK's help requests: offered, never imposed. */
const KNOWN_TYPES = ['navigation', 'error', 'action', 'api_call', 'state_change', 'help_request'];

/** A form's `eventType` field, suggesting the known types. */
export function EventTypeInput({ defaultValue }: { defaultValue: string }) {
  return (
    <>
      <input name="eventType" list="event-types" defaultValue={defaultValue} />
      <datalist id="event-types">
        {KNOWN_TYPES.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
    </>
  );
}
