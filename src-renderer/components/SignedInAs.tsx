import { useQuery } from '@tanstack/react-query';
import { useControlClient } from '../hooks/control-context';

/**
 * Who the browser dashboard is signed in as (the admin token is "admin"), with a sign-out that
 * makes this tab forget the token. Nothing in the desktop window, which has no sign-in.
 */
export function SignedInAs() {
  const { session } = useControlClient();
  const who = useQuery({ queryKey: ['session'], queryFn: () => session!.whoAmI(), enabled: Boolean(session), staleTime: Infinity });
  if (!session || !who.data) return null;
  return (
    <div className="sidebar-user" aria-label="Signed in">
      <span>Signed in as <strong>{who.data.name}</strong></span>
      <button type="button" className="button ghost sidebar-signout" onClick={() => session.signOut()}>Sign out</button>
    </div>
  );
}
