import { useState } from 'preact/hooks';

/** A new rule's webhook secret, shown this once: copy it now, it cannot be read again. */
export function WebhookSecret({ ruleName, secret, onDone }: { ruleName: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="secret" role="alert">
      <p>
        <strong>The webhook secret of “{ruleName}”, shown this once.</strong> Copy it to the receiver now (it checks each delivery's HMAC-SHA256 signature
        with it); it cannot be shown again.
      </p>
      <p class="toolbar">
        <code class="secret-value">{secret}</code>
        {'clipboard' in navigator && (
          <button type="button" onClick={() => void navigator.clipboard.writeText(secret).then(() => setCopied(true))}>
            {copied ? 'Copied' : 'Copy secret'}
          </button>
        )}
        <button type="button" onClick={onDone}>
          I have kept it
        </button>
      </p>
    </div>
  );
}
