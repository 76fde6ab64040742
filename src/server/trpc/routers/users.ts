import { changeUserRole, changeUserRoleInput, changeUserRoleOutput } from "@/server/services/users/change-user-role";
import { inviteUser, inviteUserInput, inviteUserOutput } from "@/server/services/users/invite-user";
import { listUsers, listUsersOutput } from "@/server/services/users/list-users";
import { removeUser, removeUserInput, removeUserOutput } from "@/server/services/users/remove-user";
import { adminProcedure, createTRPCRouter } from "../init";

export const usersRouter = createTRPCRouter({
  list: adminProcedure.output(listUsersOutput).query(({ ctx }) => listUsers(ctx.db)),

  invite: adminProcedure
    .input(inviteUserInput)
    .output(inviteUserOutput)
    .mutation(({ ctx, input }) => inviteUser(ctx.db, input)),

  changeRole: adminProcedure
    .input(changeUserRoleInput)
    .output(changeUserRoleOutput)
    .mutation(({ ctx, input }) => changeUserRole(ctx.db, input)),

  remove: adminProcedure
    .input(removeUserInput)
    .output(removeUserOutput)
    .mutation(({ ctx, input }) => removeUser(ctx.db, ctx.session.id, input)),
});
