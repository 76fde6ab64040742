import { createCallerFactory, createTRPCRouter } from "./init";
import { conversationsRouter } from "./routers/conversations";
import { gatewayKeysRouter } from "./routers/gateway-keys";
import { meRouter } from "./routers/me";
import { providerKeysRouter } from "./routers/provider-keys";
import { requestsRouter } from "./routers/requests";
import { settingsRouter } from "./routers/settings";
import { setupRouter } from "./routers/setup";
import { usageRouter } from "./routers/usage";
import { usersRouter } from "./routers/users";

export const appRouter = createTRPCRouter({
  me: meRouter,
  setup: setupRouter,
  users: usersRouter,
  gatewayKeys: gatewayKeysRouter,
  providerKeys: providerKeysRouter,
  settings: settingsRouter,
  usage: usageRouter,
  conversations: conversationsRouter,
  requests: requestsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
