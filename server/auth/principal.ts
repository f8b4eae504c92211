// Who is calling: the principal every route, service and socket reasons about, whatever carried the credential.

export type Role = 'owner' | 'admin' | 'agent';
export type Permission = 'read' | 'write';

export type UserPrincipal = {
  kind: 'user';
  accountId: number;
  userId: number;
  role: Role;
  isInstanceAdmin: boolean;
};
export type ApiKeyPrincipal = { kind: 'api_key'; accountId: number; keyId: number; permissions: Permission[] };
export type Principal = UserPrincipal | ApiKeyPrincipal;
