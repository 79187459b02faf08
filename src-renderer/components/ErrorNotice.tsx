import { toControlError } from '../api';

/** An error as the core names it: its code and its message, never a bare "something failed". */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const { code, message, issues } = toControlError(error);
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title} </strong> : null}
      <code className="error-code">{code}</code> <span>{message}</span>
      {issues.length > 0 ? (
        <ul className="issues">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              <code>{issue.path || '(body)'}</code> {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
