import { describe, expect, it } from "vitest";
import { hasRole, onlyWho, roleNoun, ROLES } from "@/lib/users/user-rules";

describe("roles", () => {
  it("rank viewer < finance < admin: each may do what the ones below it may, and no more", () => {
    const may = ROLES.flatMap((role) => ROLES.filter((needed) => hasRole(role, needed)).map((needed) => `${role}:${needed}`));
    expect(may).toEqual(["viewer:viewer", "finance:viewer", "finance:finance", "admin:viewer", "admin:finance", "admin:admin"]);
  });

  it("name each role and who may act in the words refusals use", () => {
    expect(ROLES.map(roleNoun)).toEqual(["a viewer", "a finance user", "an admin"]);
    expect(onlyWho("finance")).toBe("Only finance users and admins");
    expect(onlyWho("admin")).toBe("Only an admin");
  });
});
