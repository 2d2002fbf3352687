import { test as setup } from "@playwright/test";
import { readRunInfo, storageStatePath } from "./support/run-info";
import { signInOverHttp } from "./support/sign-in";

// Signs each role in once, over HTTP, and saves the session for the tests that
// act as that role (the sign-in form has tests of its own).

for (const role of ["admin", "finance", "viewer"] as const) {
  setup(`sign in as ${role}`, async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    try {
      await signInOverHttp(request, readRunInfo().users[role]);
      await request.storageState({ path: storageStatePath(role) });
    } finally {
      await request.dispose();
    }
  });
}
